"""Bringing an output folder back to a sound state at the start (and end) of a run.

- ``adopt_lost_parts``: the manifest is missing or empty but part files exist (it was deleted,
  truncated to 0 bytes, or the first run died before its first commit). The parts carry their
  report_ids, so the manifest is rebuilt from them; committed data is never deleted.
- ``finish_rewrites``: parts left dirty by a run killed while it took superseded rows out of them
  are rewritten in place.
- ``verify_parts``: every committed part is checked against the manifest (sizes, footers, row
  counts); a bad one is quarantined under ``OUT/_gongkai/quarantine/`` and its documents are
  extracted again.
"""

from __future__ import annotations

from gongkai.batch.manifest import Manifest
from gongkai.batch.progress import Reporter
from gongkai.dataset.integrity import check_part, find_parts, quarantine_part
from gongkai.dataset.parts import DatasetFiles


def adopt_lost_parts(files: DatasetFiles, manifest: Manifest, reporter: Reporter) -> int:
    """Rebuild an empty manifest from the part files on disk; returns how many parts were adopted."""
    if manifest.parts():
        return 0
    found = find_parts(files)
    if not found:
        return 0
    adopted = 0
    for part in sorted(found, key=lambda p: (p.mtime, p.record.part)):  # the newest rows win
        if part.problem is not None:
            where = quarantine_part(files, part.record.part)
            reporter.note(f"manifest rebuild: part {part.record.part} is incomplete or damaged "
                          f"({part.problem}); moved to {where}")
            continue
        manifest.adopt_part(part.record, part.documents, part.stats, part.mtime)
        adopted += 1
    manifest.retire_stale_members()
    reporter.note(f"warning: the manifest {files.manifest_path} was missing or empty; rebuilt it from "
                  f"{adopted} part(s) on disk ({sum(len(p.documents) for p in found if p.problem is None)} "
                  "documents); no committed data was removed")
    return adopted


def finish_rewrites(files: DatasetFiles, manifest: Manifest, reporter: Reporter) -> int:
    """Rewrite every dirty part in place to its members; returns how many were rewritten."""
    rewritten = 0
    for part in manifest.dirty_parts():
        # a damaged part cannot be rewritten: quarantine it (a failing write, e.g. a full disk, is fatal)
        problem = check_part(files, part, manifest.part_files(part.part))
        if problem is not None:
            _quarantine(files, manifest, part.part, problem, reporter)
            continue
        new = files.rewrite_part_in_place(part, manifest.members_of(part.part))
        manifest.finish_rewrite(part.part, new, files.file_stats(new) if new is not None else [])
        rewritten += 1
    return rewritten


def verify_parts(files: DatasetFiles, manifest: Manifest, reporter: Reporter) -> int:
    """Quarantine every committed part that does not match the manifest; returns how many."""
    bad = 0
    for part in manifest.parts().values():
        problem = check_part(files, part, manifest.part_files(part.part), manifest.member_count(part.part))
        if problem is not None:
            _quarantine(files, manifest, part.part, problem, reporter)
            bad += 1
    return bad


def _quarantine(files: DatasetFiles, manifest: Manifest, part: str, problem: str, reporter: Reporter) -> None:
    where = quarantine_part(files, part)
    redo = manifest.forget_part(part)
    reporter.note(f"warning: part {part} is damaged ({problem}); moved to {where}; its {redo} "
                  "document(s) will be extracted again")
