import sys, pandas as pd
# stockstats.py must be importable (PYTHONPATH).
from stockstats import wrap
src, rows, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
df = pd.read_csv(src).head(rows)
df.columns = [c.lower() for c in df.columns]
df = df[["date", "open", "high", "low", "close", "volume"]]
s = wrap(df.copy())
cols = ["macd", "macds", "macdh", "boll", "boll_ub", "boll_lb", "rsi_30", "cci_30", "dx_30", "close_30_sma", "close_60_sma"]
res = pd.DataFrame({"Date": df["date"], "Close": df["close"], "High": df["high"], "Low": df["low"], "Open": df["open"], "Volume": df["volume"]})
for c in cols:
    res[c] = s[c].values
res.to_csv(out, index=False, float_format="%.17g")
