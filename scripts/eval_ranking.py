#!/usr/bin/env python3
"""Ranking quality on the ALQAC 2023 sets: nDCG@10 and MRR@10, questions as written and with every
diacritic stripped, for vnsearch and (with --peers) tantivy, Lucene, SQLite FTS5 and Xapian in the
same run through ../shared/bench/peers.py. Questions run with --match any (OR mode).

usage: scripts/eval_ranking.py [--sets alqac2023,alqac2023b] [--peers] [--bin .build/release/vnsearch]
                               [--markdown OUT.md] [--work /tmp/vnsearch-eval]
"""
import argparse, gzip, json, math, os, shutil, subprocess, sys, unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))
VENV_PY = os.path.expanduser("~/.cache/vnsearch-bench/venv/bin/python")


def strip_marks(s: str) -> str:
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", s).replace("đ", "d").replace("Đ", "D")


def load_qrels(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def metrics(tops, qrels, k=10):
    ndcg = mrr = 0.0
    for top, q in zip(tops, qrels):
        rel = set(q["relevant"])
        dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(top[:k]) if d in rel)
        idcg = sum(1 / math.log2(i + 2) for i in range(min(k, len(rel))))
        ndcg += dcg / idcg if idcg else 0
        mrr += next((1 / (i + 1) for i, d in enumerate(top[:k]) if d in rel), 0)
    n = len(qrels)
    return 100 * ndcg / n, 100 * mrr / n


def clean(q: str) -> str:
    # One question per line; quotes inside a question are kept (a quoted span is a phrase).
    return " ".join(q.split())


def run_vnsearch_only(vn, docs, qfile, work):
    """Build and query with the vnsearch CLI directly (fast loop for development)."""
    files = os.path.join(work, "files")
    idx = os.path.join(work, "index")
    if not os.path.isdir(files):
        with gzip.open(docs, "rt", encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                parts = [p for p in d["id"].replace("\\", "/").split("/") if p not in ("", ".", "..")]
                p = os.path.join(files, "/".join(parts) + ".txt")
                os.makedirs(os.path.dirname(p), exist_ok=True)
                body = (d.get("title") or "")
                body = body + "\n" + d["text"] if body else d["text"]
                with open(p, "w", encoding="utf-8") as out:
                    out.write(body)
    if not os.path.isdir(idx):
        subprocess.run([vn, "index", "--corpus", files, "--index", idx, "--full", "--quiet"], check=True)
    r = subprocess.run([vn, "search", "--index", idx, "--json", "--queries", qfile, "--limit", "10", "--match", "any"],
                       capture_output=True, text=True, check=True)
    tops = []
    for line in r.stdout.splitlines():
        o = json.loads(line)
        tops.append([h["id"][:-4] if h["id"].endswith(".txt") else h["id"] for h in o.get("hits", [])])
    return {"vnsearch": tops}


def run_peers(vn, docs, qfile, work):
    out = os.path.join(work, "summary.json")
    cmd = [VENV_PY, os.path.join(SHARED, "bench", "peers.py"), "all", "--jsonl", docs, "--queries", qfile,
           "--mode", "or", "--k", "10", "--out", out,
           "--external", f"vnsearch=python3 {os.path.join(SHARED, 'bench', 'vnsearch_adapter.py')} {vn}"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    s = json.load(open(out))
    return {e: v["per_query"]["top"] for e, v in s["engines"].items() if "per_query" in v}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default="alqac2023,alqac2023b")
    ap.add_argument("--peers", action="store_true", help="run the peer engines in the same run")
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build", "release", "vnsearch"))
    ap.add_argument("--work", default="/tmp/vnsearch-eval")
    ap.add_argument("--markdown", help="write the table there too")
    ap.add_argument("--fresh", action="store_true", help="rebuild indexes")
    a = ap.parse_args()
    vn = os.path.abspath(a.bin)
    rows = []
    for name in a.sets.split(","):
        base = os.path.join(SHARED, "corpus", name)
        qrels = load_qrels(os.path.join(base, "qrels.jsonl.gz"))
        for variant in ("as written", "stripped"):
            work = os.path.join(a.work, name, "peers" if a.peers else "vn")
            if a.fresh and variant == "as written":
                shutil.rmtree(work, ignore_errors=True)
            os.makedirs(work, exist_ok=True)
            qfile = os.path.join(work, f"queries-{variant.replace(' ', '-')}.txt")
            with open(qfile, "w", encoding="utf-8") as f:
                for q in qrels:
                    t = clean(q["query"])
                    f.write((strip_marks(t) if variant == "stripped" else t) + "\n")
            runs = run_peers(vn, os.path.join(base, "docs.jsonl.gz"), qfile, os.path.join(work, variant.replace(" ", "-"))) \
                if a.peers else run_vnsearch_only(vn, os.path.join(base, "docs.jsonl.gz"), qfile, work)
            for engine, tops in sorted(runs.items()):
                n, m = metrics(tops, qrels)
                rows.append((name, variant, engine, n, m))
    lines = ["| set | questions | engine | nDCG@10 | MRR@10 |", "|---|---|---|---:|---:|"]
    for r in rows:
        lines.append(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]:.1f} | {r[4]:.1f} |")
    table = "\n".join(lines)
    print(table)
    if a.markdown:
        open(a.markdown, "w").write(table + "\n")


if __name__ == "__main__":
    main()
