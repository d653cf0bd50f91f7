"""`python -m cpomdocs`: the same command line as `cpomdocs`."""

from cpomdocs.cli.main import main

if __name__ == "__main__":
    main(prog_name="cpomdocs")
