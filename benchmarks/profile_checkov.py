"""Where the pack's time goes: Checkov with all its default checks and the pack, profiled with pyinstrument.

    .venv/bin/python benchmarks/profile_checkov.py [STACKS]   # default 100 stacks

It generates the Incident Manager-heavy Terraform corpus of ``benchmarks/run.py`` (every stack
a root module with keys, aliases, modules, policies, a replication set and ordinary
resources), scans it once as the ``checkov`` command does (its runners imported first), and
prints the call tree below the pack's frames (``ckv_im``), then the CPU seconds of the whole
scan and of the pack's own frames. pyinstrument is pinned in requirements.txt.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import run
from pyinstrument import Profiler

PACK_FRAMES = ("ckv_im/", "checks/terraform/")


def main(stacks: int) -> None:
    import checkov.main  # noqa: F401  # what the checkov command has imported before it scans
    from checkov.runner_filter import RunnerFilter
    from checkov.terraform.runner import Runner

    with tempfile.TemporaryDirectory() as work:
        root = run.terraform_tree(Path(work), stacks, im_every=1)
        profiler = Profiler(interval=0.002)
        cpu_start = time.process_time()
        profiler.start()
        Runner().run(
            root_folder=str(root),
            external_checks_dir=[str(run.CHECKS)],
            runner_filter=RunnerFilter(framework=["terraform"]),
        )
        profiler.stop()
        cpu = time.process_time() - cpu_start
    session = profiler.last_session
    pack = sum(
        frame.time
        for frame in _outermost_pack_frames(profiler.last_session.root_frame())
        if frame is not None and frame.file_path
    )
    print(profiler.output_text(unicode=False, color=False, show_all=False, timeline=False, short_mode=False))
    print(f"{stacks} stacks: scan {session.duration:.2f} s wall, {cpu:.2f} s CPU; the pack's frames {pack:.2f} s wall")


def _outermost_pack_frames(frame):
    """The frames of the pack that no frame of the pack calls (their times add up without double counting)."""
    if frame is None:
        return
    if frame.file_path and any(part in frame.file_path.replace("\\", "/") for part in PACK_FRAMES):
        yield frame
        return
    for child in frame.children:
        yield from _outermost_pack_frames(child)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
