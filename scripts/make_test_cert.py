"""Create a throwaway test CA and signer PKCS#12 for `make publish` (never for real contracts).

Usage: python scripts/make_test_cert.py [FOLDER] (default build/test-cert); the password is
CPOMDOCS_P12_PASSWORD when set, else « cpomdocs-test ».
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from cpomdocs.publish.testcert import make_test_certificates


def main(argv: list[str]) -> int:
    """Write ca.pem and signer.p12 into the folder given (or build/test-cert)."""
    folder = Path(argv[1]) if len(argv) > 1 else Path("build/test-cert")
    password = os.environ.get("CPOMDOCS_P12_PASSWORD", "cpomdocs-test")
    made = make_test_certificates(folder, password=password)
    print(f"AC de test : {made.ca_pem}")
    print(f"clé de signature de test : {made.p12} (mot de passe : {password})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
