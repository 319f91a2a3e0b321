"""pymrio's side of bench/vs-pymrio.ts and test/mrio/wiod.test.ts: load_all + calc_all on a folder.

    python3 bench/pymrio_run.py FOLDER [--save DIR]

Prints one JSON line (seconds for the import, load_all and calc_all). With --save, writes every
extension's accounts (S, M, D_cba, D_pba, D_imp, D_exp and the _reg ones) to DIR/<name>_<table>.json:
{"rows": [...], "cols": [...], "data": [...]} with labels joined by "/", values row-major in
round-trip text, non-finite values as null. Needs PYTHONPATH to reach pymrio.
"""
import json
import math
import os
import sys
import time

t0 = time.perf_counter()
import pymrio  # noqa: E402

folder = sys.argv[1]
save = sys.argv[sys.argv.index("--save") + 1] if "--save" in sys.argv else None
t1 = time.perf_counter()
io = pymrio.load_all(folder)
t2 = time.perf_counter()
io.calc_all()
t3 = time.perf_counter()
if save:
    os.makedirs(save, exist_ok=True)

    def labels(ix):
        return ["/".join(str(v) for v in (k if isinstance(k, tuple) else (k,))) for k in ix]

    for ext in io.get_extensions(data=True):
        for k in ["S", "M", "D_cba", "D_pba", "D_imp", "D_exp", "D_cba_reg", "D_pba_reg", "D_imp_reg", "D_exp_reg"]:
            df = getattr(ext, k)
            data = [float(v) if math.isfinite(v) else None for v in df.to_numpy().ravel()]
            with open(os.path.join(save, f"{ext.name}_{k}.json"), "w") as f:
                json.dump({"rows": labels(df.index), "cols": labels(df.columns), "data": data}, f)
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "calc_s": t3 - t2}))
