"""Benchmark builds at portfolio scale: incremental, parallel, memory (called by bench.py).

Each measure runs `cpomdocs build` as a separate process, as a user would (process start
included), on a synthetic portfolio (gen_portfolio.py), and reads its wall time, the CPU time
of it and of its worker processes, and the peak memory of each role: the build process (which
validates, plans and composes), its forkserver (libraries loaded and warmed up once, shared by
the workers) and its workers (which render and write). Workers are children of
multiprocessing's forkserver, which getrusage does not count: their CPU time, high-water mark
(VmHWM) and PSS/USS are polled from /proc while the build runs. A worker's RSS counts the pages
it shares with the forkserver; its USS is its own cost. On a loaded machine, wall
times swell: the CPU times are printed next to them.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml
from gen_portfolio import generate
from memory_probe import rollup

CPOMDOCS = str(Path(sys.executable).with_name("cpomdocs"))
CHANGED_TEMPLATE = "annexe-6-calendrier.md.j2"  # used by the annexes volumes only
JOBS_ROUNDS = 3  # -j 1 / -j 2 pairs, alternated; their median ratio judged
YARDSTICK_EVERY = 10  # WeasyPrint alone on every 10th document of the full build (~1 min)


@dataclass
class Yardstick:
    """WeasyPrint alone on a sample of the portfolio's documents, in the same run (CPU s)."""

    documents: int
    seconds: float

    @property
    def per_document(self) -> float:
        """WeasyPrint's CPU seconds per document of the sample."""
        return self.seconds / self.documents


def weasyprint_alone(contracts: Path, every: int = YARDSTICK_EVERY) -> Yardstick:
    """Run bench_yardstick.py on the portfolio: WeasyPrint alone on every `every`-th document's
    HTML as the build hands it (this minute's speed of the machine, to divide a build by)."""
    script = Path(__file__).with_name("bench_yardstick.py")
    command = [sys.executable, str(script), str(contracts), "--every", str(every)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"bench_yardstick.py a échoué :\n{done.stderr[-2000:]}")
    row = json.loads(done.stdout.strip().splitlines()[-1])
    return Yardstick(row["documents"], row["seconds"])


@dataclass
class Peak:
    """The peak memory of the processes of one role in a build, in MB: the largest of them."""

    rss: float = 0.0  # VmHWM: every resident page, the pages shared with others included
    pss: float = 0.0  # largest sampled PSS: each shared page split between its sharers
    uss: float = 0.0  # largest sampled USS: its own pages only, given back when it ends
    count: int = 0  # how many processes had this role

    def add(self, rss: float, sample: dict[str, float]) -> None:
        """Take one more poll of one process of this role into account."""
        self.rss = max(self.rss, rss)
        self.pss = max(self.pss, sample.get("pss", 0.0))
        self.uss = max(self.uss, sample.get("uss", 0.0))

    def shown(self) -> str:
        """« RSS 278 / PSS 150 / USS 121 Mo »."""
        return f"RSS {_fr(self.rss, 0)} / PSS {_fr(self.pss, 0)} / USS {_fr(self.uss, 0)} Mo"


ROLES = ("build", "forkserver", "worker")  # the build process, the forkserver, the workers


@dataclass
class Run:
    """One `cpomdocs build`: wall seconds, CPU seconds (all its processes), peak RSS in MB."""

    wall: float
    cpu: float
    peak_mb: float  # the largest RSS of any of its processes (a worker's counts shared pages)
    summary: str
    roles: dict[str, Peak]  # build / forkserver / worker: the peaks of each role

    @property
    def worker_mb(self) -> float:
        """The largest peak RSS (VmHWM) of a worker process."""
        return self.roles["worker"].rss

    @property
    def worker_uss_mb(self) -> float:
        """The largest USS of a worker (memory_probe.py): its own pages only."""
        return self.roles["worker"].uss

    @property
    def worker_pss_mb(self) -> float:
        """The largest PSS of a worker: pages shared with the forkserver split."""
        return self.roles["worker"].pss


def run_build(contracts: Path, output: Path, *options: str, src: Path | None = None) -> Run:
    """Run `cpomdocs build` in a fresh process and measure it, its workers included (`src`:
    the src/ folder of another version of cpomdocs to run instead)."""
    command = [CPOMDOCS, "build", str(contracts), "-o", str(output), "-q", *options]
    env = {**os.environ, "PYTHONPATH": str(src)} if src else None
    started = time.perf_counter()
    roles = {role: Peak() for role in ROLES}
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, text=True, env=env
        )
        peaks: dict[int, float] = {}
        seen: dict[int, str] = {}
        worker_ticks: dict[int, int] = {}
        usage = None
        while usage is None:
            for pid, depth in _descendants(process.pid).items():
                peaks[pid] = max(peaks.get(pid, 0.0), _high_water_mb(pid))
                if depth >= 1:  # the forkserver and the workers
                    worker_ticks[pid] = max(worker_ticks.get(pid, 0), _cpu_ticks(pid))
                role = seen.get(pid) or _role(pid, depth)
                if role is None:  # multiprocessing's resource tracker: a few MB
                    continue
                if pid not in seen:
                    seen[pid] = role
                    roles[role].count += 1
                roles[role].add(peaks[pid], rollup(pid))
            usage = _ended(process, 0.25)
        wall = time.perf_counter() - started
        log.seek(0)
        output_text = log.read()
    if process.returncode != 0:
        raise SystemExit(f"cpomdocs build a échoué :\n{output_text}")
    cpu = usage.ru_utime + usage.ru_stime + sum(worker_ticks.values()) / os.sysconf("SC_CLK_TCK")
    # Each process's own high-water mark, polled (VmHWM starts again at exec), not ru_maxrss:
    # getrusage(RUSAGE_CHILDREN)'s is the largest child this process ever waited for (a
    # bench_kinds.py run of the examples, 278 MB, before the portfolio builds), and even this
    # build's own (wait4) keeps the high-water mark of the bench process it was forked from.
    # The last quarter of a second of a process may escape the polls.
    peak = max(peaks.values(), default=0.0)
    summary = output_text.strip().splitlines()[-1]
    return Run(wall, cpu, peak, summary, roles)


def _ended(process: subprocess.Popen, seconds: float) -> resource.struct_rusage | None:
    """The resource usage of `process` once it has ended (its return code set), waiting for it
    at most `seconds`; None while it runs. Back as soon as it ends: the wall time is not rounded
    up to a poll."""
    deadline = time.monotonic() + seconds
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return usage
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.01)


def _role(pid: int, depth: int) -> str | None:
    """A build's process role: the build itself (depth 0), its forkserver (depth 1, named on
    its command line), a worker (depth 2, forked by the forkserver); None for the others."""
    if depth == 0:
        return "build"
    if depth >= 2:
        return "worker"
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return "forkserver" if b"multiprocessing.forkserver" in command else None


def _descendants(root: int) -> dict[int, int]:
    """A process and all its descendants (from /proc): pid → depth (0 for the root itself;
    the forkserver is at 1, the workers it forks at 2)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = {root: 0}, [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        found.update((pid, found[parents[pid]] + 1) for pid in frontier)
    return found


def _high_water_mb(pid: int) -> float:
    """The peak resident memory of a process so far (VmHWM), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _cpu_ticks(pid: int) -> int:
    """User plus system CPU time of a process so far, in clock ticks."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def _change_one_field(folder: Path) -> None:
    path = folder / "cpom.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["gestionnaire"]["nom"] += " (modifié)"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


ROLE_NAMES = {
    "build": "processus principal",
    "forkserver": "forkserver",
    "worker": "processus de rendu",
}


def _stable(small: Run, large: Run, role: str) -> bool:
    """A role's peak grows by 10 % at most from the small portfolio to the large one (not
    judged when the small build had no such process: one document renders in the build)."""
    before = small.roles[role]
    return before.count == 0 or large.roles[role].rss <= 1.1 * before.rss


def _calibrated(
    full: Run, documents: int, budget: float, jobs: int, yardstick: Yardstick | None
) -> list[str]:
    """The full build in units of this minute's machine: its CPU per document against
    WeasyPrint alone on a sample of the same documents (the target above stays as it is)."""
    if yardstick is None or not documents:
        return []
    ratio = full.cpu / documents / yardstick.per_document
    allowed = budget * jobs / documents / yardstick.per_document
    return [
        f"    étalonnée : {_fr(full.cpu / documents)} s CPU par document = ×{_fr(ratio)} de "
        f"WeasyPrint seul ({_fr(yardstick.per_document)} s CPU par document, "
        f"{yardstick.documents} documents du même portefeuille, même passage) ; la cible "
        f"absolue permet ×{_fr(allowed)} ce soir-là (0,9 s × {jobs} processus par document)"
    ]


def _fr(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def _verdict(met: bool) -> str:
    return "atteinte" if met else "NON ATTEINTE"


def _copy(folders: list[Path], target: Path) -> Path:
    """A portfolio folder holding copies of `folders`."""
    target.mkdir()
    for folder in folders:
        shutil.copytree(folder, target / folder.name)
    return target


def measure_scale(
    contracts: int, jobs: int, parallel_sample: int, formats: list[str], repeats: int = 5
) -> None:
    """Print the portfolio-scale figures as they come, then whether each target is met."""
    fmt = [option for f in formats for option in ("-f", f)]
    print(
        f"Échelle : {contracts} contrats, -j {jobs}, formats {', '.join(formats)} ; "
        f"{os.cpu_count()} cœurs, charge moyenne {_fr(os.getloadavg()[0])} au départ",
        flush=True,
    )

    def line(label: str, run: Run) -> None:
        print(
            f"  {label:<48}{_fr(run.wall):>8} s réelles{_fr(run.cpu):>8} s CPU   {run.summary}",
            flush=True,
        )

    with tempfile.TemporaryDirectory(prefix="cpom-scale-") as tmp:
        root = Path(tmp)
        folders = generate(contracts, root / "contracts")
        out = root / "build"
        env_j = ["-j", str(jobs)]
        # An empty override folder from the start, so that only the template changes later
        # (not the cwd's templates/ folder, nor the option).
        templates = root / "templates"
        templates.mkdir()
        fmt += ["--templates", str(templates)]

        small = max(1, contracts // 4)
        quarter = run_build(_copy(folders[:small], root / "quart"), root / "b-quart", *fmt, *env_j)
        line(f"construction complète, {small} contrats", quarter)
        full = run_build(root / "contracts", out, *fmt, *env_j)
        line(f"construction complète, {contracts} contrats", full)
        # The machine's speed this minute: WeasyPrint alone on a sample of the same documents.
        yardstick = weasyprint_alone(root / "contracts") if "pdf" in formats else None
        if yardstick is not None:
            print(
                f"  WeasyPrint seul, 1 document sur {YARDSTICK_EVERY} ({yardstick.documents})"
                f"{'':<10}{_fr(yardstick.seconds):>8} s CPU, "
                f"{_fr(yardstick.per_document)} s CPU par document",
                flush=True,
            )
        noop = run_build(root / "contracts", out, *fmt, *env_j)
        line("reconstruction sans changement", noop)

        # One field of one contract changed, against that contract built alone with the same
        # options (its own render time): both have a previous build, so both start the
        # contract's longest document first. Runs alternate, `repeats` of each, and the
        # medians are compared, since a 10-second build varies by more than 0,5 s.
        # A draft: a signed contract carries its fingerprint, and a change to it is refused.
        draft = next(f for f in folders if "statut: projet" in (f / "cpom.yaml").read_text())
        alone_out = root / "seul"
        run_build(draft, alone_out, *fmt, *env_j)
        ones, alones = [], []
        for _attempt in range(repeats):
            _change_one_field(draft)
            ones.append(run_build(root / "contracts", out, *fmt, *env_j))
            alones.append(run_build(draft, alone_out, *fmt, *env_j, "--force"))
        one = sorted(ones, key=lambda run: run.wall)[repeats // 2]
        alone = sorted(alones, key=lambda run: run.wall)[repeats // 2]
        spread = (
            f"de {_fr(min(r.wall for r in ones))} à {_fr(max(r.wall for r in ones))} s, "
            f"seul de {_fr(min(r.wall for r in alones))} à {_fr(max(r.wall for r in alones))} s"
        )
        line(f"un champ d'un contrat modifié (médiane de {repeats})", one)
        line(f"  ce contrat seul, mêmes options (médiane de {repeats})", alone)
        print(f"    ({spread})", flush=True)

        package = Path(__file__).resolve().parents[1] / "src" / "cpomdocs" / "templates"
        text = (package / CHANGED_TEMPLATE).read_text(encoding="utf-8")
        (templates / CHANGED_TEMPLATE).write_text(text + "\n", encoding="utf-8")
        line(
            f"modèle {CHANGED_TEMPLATE} modifié",
            run_build(root / "contracts", out, *fmt, *env_j),
        )

        # -j 1 and -j 2 alternated, each round on fresh output folders: the machine's speed
        # drifts by ±15 % between minutes, so one pair of runs can land in two bands; the
        # median of the rounds' own ratios is the figure judged.
        sample = _copy(folders[:parallel_sample], root / "echantillon")
        speedups = []
        for round_number in range(1, JOBS_ROUNDS + 1):
            serial = run_build(sample, root / f"j1-{round_number}", *fmt, "-j", "1")
            double = run_build(sample, root / f"j2-{round_number}", *fmt, "-j", "2")
            line(f"-j 1, {parallel_sample} contrats (tour {round_number})", serial)
            line(f"-j 2, {parallel_sample} contrats (tour {round_number})", double)
            speedups.append(serial.wall / double.wall)

    speedup = statistics.median(speedups)
    rounds = " ".join(f"×{_fr(value)}" for value in speedups)
    documents = _built(full)
    budget = 2 + 0.9 * documents
    extra = one.wall - alone.wall
    lines = [
        "Cibles :",
        f"  construction complète ≤ 2 s + 0,9 s × {documents} documents = {_fr(budget)} s : "
        f"{_fr(full.wall)} s réelles, {_fr(full.cpu / jobs)} s CPU / {jobs} processus — "
        f"{_verdict(full.wall <= budget)} (réel), {_verdict(full.cpu / jobs <= budget)} (CPU)",
        *_calibrated(full, documents, budget, jobs, yardstick),
        f"  sans changement ≤ 0,5 s : {_fr(noop.wall)} s — {_verdict(noop.wall <= 0.5)}",
        f"  un contrat modifié ≤ son propre rendu + 0,5 s : {_fr(one.wall)} s pour "
        f"{_fr(alone.wall)} s, soit {'+' if extra >= 0 else '−'}{_fr(abs(extra))} s — "
        f"{_verdict(extra <= 0.5)}",
        f"  -j 2 au moins ×1,8 plus rapide que -j 1 : ×{_fr(speedup)} (médiane des tours "
        f"{rounds}) — {_verdict(speedup >= 1.8)}",
        f"  mémoire stable, rôle par rôle (pic RSS de {small} à {contracts} contrats) : "
        + ", ".join(
            f"{ROLE_NAMES[role]} {_fr(quarter.roles[role].rss, 0)} → "
            f"{_fr(full.roles[role].rss, 0)} Mo"
            for role in ROLES
        )
        + f" — {_verdict(all(_stable(quarter, full, role) for role in ROLES))}",
        f"  ≤ 150 Mo par processus de rendu à {contracts} contrats (pic USS : ses pages à lui "
        f"seul, ce qu'il coûte et rend en finissant) : {_fr(full.worker_uss_mb, 0)} Mo — "
        f"{_verdict(full.worker_uss_mb <= 150)} ; pic PSS (pages partagées avec le forkserver "
        f"réparties) {_fr(full.worker_pss_mb, 0)} Mo, pic RSS (VmHWM, partagées comprises) "
        f"{_fr(full.worker_mb, 0)} Mo",
        f"  mémoire par rôle à {contracts} contrats (le plus grand de chaque rôle) :",
        *(
            f"    {ROLE_NAMES[role]:<22}{full.roles[role].shown()}"
            f" ({full.roles[role].count} processus)"
            for role in ROLES
        ),
        f"  charge moyenne à la fin : {_fr(os.getloadavg()[0])}",
    ]
    print("\n".join(lines), flush=True)


REPORT = "asba-beaujolais-2024/comptes-rendus/2026-10-08-point-a-mi-parcours.yaml"
FIRST_REPORT = "asba-beaujolais-2024/comptes-rendus/2025-06-12-comite-de-suivi.yaml"
NEW_REPORT = "asba-beaujolais-2024/comptes-rendus/2027-06-17-comite-de-suivi.yaml"
TARGET = ("cibles: {2027: 35, 2028: 42,", "cibles: {2027: 35, 2028: 43,")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _add_report(root: Path) -> None:
    text = (root / REPORT).read_text(encoding="utf-8")
    text = text.replace("date: 2026-10-08", "date: 2027-06-17").replace(
        "exercice: 2025", "exercice: 2026"
    )  # its next meeting after it (a rule since session 10): the dialogue of 15 June 2028
    text = text.replace("  date: 2027-06-10\n", "  date: 2028-06-15\n")
    (root / NEW_REPORT).write_text(text.replace("point à mi-parcours", "comité de suivi", 1))


CHANGES = [
    ("un compte-rendu ajouté", _add_report),
    (
        "le commentaire d'un compte-rendu modifié",
        lambda root: _replace(
            root / FIRST_REPORT,
            "commentaire: deux chambres fermées",
            "commentaire: trois chambres fermées",
        ),
    ),
    (
        "une cible d'un indicateur modifiée",
        lambda root: _replace(root / "fondation-val-d-ouche-2027/cpom.yaml", *TARGET),
    ),
]


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def _built(run: Run) -> int:
    found = re.search(r"(\d+) documents? construits?", run.summary)
    return int(found.group(1)) if found else -1


def measure_rebuild_counts(examples: Path, sides: dict[str, Path]) -> None:
    """How many documents each change of the examples rebuilds, for each version (DOCX only:
    the counts do not depend on the format), in a real git repository, one commit per change."""
    counts: dict[str, list[int]] = {}
    for side, src in sides.items():
        with tempfile.TemporaryDirectory(prefix="cpom-changes-") as tmp:
            repo = Path(tmp)
            own = src.parent / "contracts"  # another version's own examples (its model)
            shutil.copytree(own if own.is_dir() else examples, repo / "contracts")
            _git(repo, "init", "-q")
            _git(repo, "add", "-A")
            _git(repo, "commit", "-q", "-m", "exemples")
            options = ("-f", "docx", "-j", "1")
            first = run_build(repo / "contracts", repo / "build", *options, src=src)
            counts[side] = [_built(first)]
            for label, change in CHANGES:
                change(repo / "contracts")
                _git(repo, "add", "-A")
                _git(repo, "commit", "-q", "-m", label)
                counts[side].append(
                    _built(run_build(repo / "contracts", repo / "build", *options, src=src))
                )
    labels = ["construction complète", *(label for label, _ in CHANGES)]
    print("Documents reconstruits par changement (exemples, dépôt git, un commit par changement) :")
    print(f"  {'':<44}" + "".join(f"{side:>8}" for side in counts))
    for index, label in enumerate(labels):
        print(
            f"  {label:<44}" + "".join(f"{values[index]:>8}" for values in counts.values()),
            flush=True,
        )
    print("  Cible : un compte-rendu ajouté ≤ 3 documents reconstruits.")
