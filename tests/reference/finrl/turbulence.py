"""Writes FinRL's turbulence index for the embedded DJIA closes, computed by FinRL's own FeatureEngineer.calculate_turbulence.

Usage: python3 turbulence.py <FinRL checkout> <data/djia> <out.csv>
The function is read from finrl/meta/preprocessor/preprocessors.py of the checkout (not copied here) and run on a
long frame (date, tic, close) of every data/djia/*.csv, exactly as FinRL's pipeline calls it.
"""
import ast, glob, os, sys
import numpy as np
import pandas as pd

finrl, djia, out = sys.argv[1], sys.argv[2], sys.argv[3]
source = open(os.path.join(finrl, "finrl/meta/preprocessor/preprocessors.py")).read()
tree = ast.parse(source)
fn = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "calculate_turbulence")
namespace = {"np": np, "pd": pd}
exec(compile(ast.Module(body=[fn], type_ignores=[]), "calculate_turbulence", "exec"), namespace)
frames = []
for path in sorted(glob.glob(os.path.join(djia, "*.csv"))):
    df = pd.read_csv(path, usecols=["Date", "Close"])
    df["tic"] = os.path.splitext(os.path.basename(path))[0]
    frames.append(df.rename(columns={"Date": "date", "Close": "close"}))
data = pd.concat(frames).sort_values(["date", "tic"]).reset_index(drop=True)
turbulence = namespace["calculate_turbulence"](None, data)
turbulence.to_csv(out, index=False, float_format="%.17g")
