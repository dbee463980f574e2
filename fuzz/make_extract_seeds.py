#!/usr/bin/env python3
"""Writes the seed archives of the extract fuzzer into corpus/extract/.

Small by design (each well under 1 KB): a normal toolchain-like tree in each
compression libarchive reads for us, and the hostile shapes DESIGN.md §9
refuses, aimed at the places extract_fuzz.cpp watches (the sentinel folder
two levels up from the destination, and /dev/shm/rtx-fuzz-escape). Run it
again after changing it; the output is deterministic.
"""
import io
import os
import tarfile
import zipfile

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "extract")
MTIME = 1_500_000_000


def tar_bytes(entries, mode):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode, format=tarfile.GNU_FORMAT) as tar:
        for kind, name, arg, perm in entries:
            info = tarfile.TarInfo(name)
            info.mtime = MTIME
            info.mode = perm
            info.uid = info.gid = 4242
            data = None
            if kind == "file":
                data = arg.encode()
                info.size = len(data)
            elif kind == "dir":
                info.type = tarfile.DIRTYPE
            elif kind == "symlink":
                info.type = tarfile.SYMTYPE
                info.linkname = arg
            elif kind == "hardlink":
                info.type = tarfile.LNKTYPE
                info.linkname = arg
            elif kind == "fifo":
                info.type = tarfile.FIFOTYPE
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return buf.getvalue()


def gzip_deterministic(entries):
    # tarfile's "w:gz" stamps the time into the gzip header; mtime=0 keeps it stable.
    import gzip
    raw = tar_bytes(entries, "w")
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as gz:
        gz.write(raw)
    return out.getvalue()


def zip_bytes(entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for kind, name, arg, perm in entries:
            info = zipfile.ZipInfo(name + ("/" if kind == "dir" else ""), date_time=(2017, 7, 14, 2, 40, 0))
            info.create_system = 3  # unix: the mode is in external_attr
            if kind == "symlink":
                info.external_attr = (0o120777 << 16)
                z.writestr(info, arg)
            elif kind == "dir":
                info.external_attr = ((0o40000 | perm) << 16) | 0x10
                z.writestr(info, b"")
            else:
                info.external_attr = ((0o100000 | perm) << 16)
                z.writestr(info, arg)
    return buf.getvalue()


TOOL = [
    ("dir", "node-v1/", None, 0o755),
    ("dir", "node-v1/bin", None, 0o755),
    ("file", "node-v1/bin/node", "#!/bin/sh\necho 1\n", 0o755),
    ("dir", "node-v1/lib/node_modules/npm/bin", None, 0o755),
    ("file", "node-v1/lib/node_modules/npm/bin/npm-cli.js", "x", 0o644),
    ("symlink", "node-v1/bin/npm", "../lib/node_modules/npm/bin/npm-cli.js", 0o777),
    ("hardlink", "node-v1/bin/node2", "node-v1/bin/node", 0o755),
]

HOSTILE = {
    "dotdot": [("file", "../../sentinel/pwned", "x", 0o644)],
    "absolute": [("file", "/dev/shm/rtx-fuzz-escape/pwned", "x", 0o644)],
    "symlink_out": [("symlink", "lnk", "../../sentinel", 0o777), ("file", "lnk/pwned", "x", 0o644)],
    "symlink_abs": [("symlink", "lnk", "/dev/shm/rtx-fuzz-escape", 0o777), ("file", "lnk/pwned", "x", 0o644)],
    "symlink_chain": [
        ("dir", "d", None, 0o755),
        ("symlink", "d/up", "..", 0o777),
        ("symlink", "d/esc", "up/..", 0o777),
        ("file", "d/esc/pwned", "x", 0o644),
    ],
    "hardlink_out": [("hardlink", "h", "/etc/hostname", 0o644), ("hardlink", "g", "../../sentinel/x", 0o644)],
    "fifo": [("fifo", "f", None, 0o644), ("file", "after", "x", 0o644)],
    "modes": [("dir", "lib", None, 0o777), ("file", "lib/x.js", "x", 0o4777), ("dir", "locked", None, 0o000)],
    "dup": [("file", "a", "1", 0o644), ("dir", "a", None, 0o755), ("symlink", "a", "b", 0o777)],
}


def main():
    os.makedirs(OUT, exist_ok=True)
    seeds = {
        "tool.tar.gz": gzip_deterministic(TOOL),
        "tool.tar.xz": tar_bytes(TOOL, "w:xz"),
        "tool.tar.bz2": tar_bytes(TOOL, "w:bz2"),
        "tool.tar": tar_bytes(TOOL, "w"),
        "tool.zip": zip_bytes(TOOL),
        "symlink_out.zip": zip_bytes(HOSTILE["symlink_out"]),
    }
    for name, entries in HOSTILE.items():
        seeds[name + ".tar.gz"] = gzip_deterministic(entries)
    for name, data in sorted(seeds.items()):
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
