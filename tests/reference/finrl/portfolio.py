"""Writes the fixture for PortfolioAllocationTests: FinRL's own StockPortfolioEnv stepped through a fixed action sequence.

Usage (Debian 12's /usr/bin/python3: numpy 1.24.2 on reference BLAS, pandas 1.5.3):
    PYTHONPATH=<gymnasium source> /usr/bin/python3 portfolio.py <env_portfolio.py> <data/djia> <out.json>

<env_portfolio.py> is FinRL's finrl/meta/env_portfolio_allocation/env_portfolio.py, extracted from a checkout (nothing of
it is copied here); it is imported by path. Gymnasium comes from its source tree on PYTHONPATH; stable_baselines3 is
only referenced by the module (DummyVecEnv in get_sb_env), so a stub stands in for it. matplotlib is Debian's.

The frame is built the way FinRL's portfolio-allocation tutorial builds it (docs/source/tutorial/Introduction/
PortfolioAllocation.rst): closes of five tickers, sorted by (date, tic), indexed by date.factorize(); for every date i
from `lookback` on, cov_list[i] = pivot(closes of dates i-lookback .. i).pct_change().dropna().cov() (252 returns, the
last being date i's own); merged on date, so the environment's day 0 is date index `lookback`. Two indicator columns
(macd, rsi_30) are deterministic series computed here; the test reads them from the fixture, so their recipe is not
part of what is tested.

np.exp, which FinRL's softmax calls, depends on the CPU: on AVX-512 machines numpy 1.24 uses its own SIMD kernels
(Intel SVML on AVX512_SKX), which differ from the C library's exp in the last bit of about a quarter of arguments. The
episode is therefore run three times, each in a child process:
  "steps"      the C library's exp: numpy's AVX-512 dispatch turned off with NPY_DISABLE_CPU_FEATURES (what numpy does
               on any machine without AVX-512); float64 action arrays holding float32 values.
  "host_exp"   numpy's default kernels on this machine, same actions.
  "float32"    the actions clipped to the action space, Box(0, 1), and passed as float32 arrays, as Stable-Baselines3
               passes them, so numpy computes the softmax in float32 (AVX-512 dispatch off as in "steps").
The "steps" run also records FinRL's softmax_normalization and numpy's sum on vectors of 1 to 300 values ("softmax",
"sums"), long enough for numpy's pairwise summation.
"""
import contextlib, importlib.util, json, os, subprocess, sys, tempfile, types

TICKERS = ["AAPL", "AXP", "BA", "CAT", "KO"]
DATES = 300
LOOKBACK = 252
INDICATORS = ["macd", "rsi_30"]
INITIAL_AMOUNT = 1_000_000


def load_finrl(path):
    # Only referenced by get_sb_env, which the fixture does not call.
    for name in ["stable_baselines3", "stable_baselines3.common", "stable_baselines3.common.vec_env"]:
        sys.modules[name] = types.ModuleType(name)
    sys.modules["stable_baselines3.common.vec_env"].DummyVecEnv = None
    spec = importlib.util.spec_from_file_location("finrl_env_portfolio", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_frame(djia):
    import numpy as np
    import pandas as pd

    frames = []
    for tic in TICKERS:
        d = pd.read_csv(os.path.join(djia, tic + ".csv"), usecols=["Date", "Close"]).iloc[:DATES]
        d = d.rename(columns={"Date": "date", "Close": "close"})
        d["tic"] = tic
        close = d["close"]
        d["macd"] = close.ewm(span=12, adjust=False).mean() - close.ewm(span=26, adjust=False).mean()
        change = close.diff().fillna(0.0)
        gain = change.clip(lower=0).ewm(alpha=1 / 30, adjust=False).mean()
        loss = (-change).clip(lower=0).ewm(alpha=1 / 30, adjust=False).mean()
        d["rsi_30"] = (100 - 100 / (1 + gain / loss.where(loss > 0, np.nan))).fillna(100.0)
        frames.append(d)
    df = pd.concat(frames).sort_values(["date", "tic"], ignore_index=True)
    assert (df.groupby("date").size() == len(TICKERS)).all(), "the tickers' dates differ"
    full = df.copy()

    df.index = df.date.factorize()[0]
    cov_list = []
    for i in range(LOOKBACK, len(df.index.unique())):
        window = df.loc[i - LOOKBACK:i, :]
        prices = window.pivot_table(index="date", columns="tic", values="close")
        returns = prices.pct_change().dropna()
        cov_list.append(returns.cov().values)
    df_cov = pd.DataFrame({"date": df.date.unique()[LOOKBACK:], "cov_list": cov_list})
    df = df.merge(df_cov, on="date")
    df = df.sort_values(["date", "tic"]).reset_index(drop=True)
    df.index = df.date.factorize()[0]
    return full, df


def actions(count):
    import numpy as np

    rng = np.random.default_rng(20240607)
    out = [rng.uniform(0, 1, len(TICKERS)).astype(np.float32) for _ in range(count)]
    # Beyond FinRL's Box(0, 1) (the environment does not clip), equal actions, and near exp's overflow.
    out[0] = np.zeros(len(TICKERS), np.float32)
    out[1] = np.array([5, -3, 0.5, 20, -20], np.float32)
    out[2] = np.array([80, 79.5, 60, 0, -50], np.float32)
    out[3] = np.array([700, 699, 0, 0, 0], np.float32)
    out[4] = np.array([0.25, 0.25, 0.25, 0.25, 0.25], np.float32)
    out[5] = np.array([-745, -700, -1, 0, 1e-7], np.float32)
    return out


def run(env_path, djia, variant):
    import numpy as np

    module = load_finrl(env_path)
    _, df = build_frame(djia)
    days = len(df.index.unique())
    env = module.StockPortfolioEnv(df=df, stock_dim=len(TICKERS), hmax=100, initial_amount=INITIAL_AMOUNT,
                                   transaction_cost_pct=0.001, reward_scaling=1e-4, state_space=len(TICKERS),
                                   action_space=len(TICKERS), tech_indicator_list=INDICATORS)
    work = tempfile.mkdtemp()
    os.makedirs(os.path.join(work, "results"))  # the terminal step saves two plots there
    os.chdir(work)
    state, _ = env.reset()
    record = {"reset_state": state.tolist(), "steps": []}
    # days - 1 moving steps, then the terminal call, then one more call after it.
    for a in actions(days + 1):
        # Stable-Baselines3 clips a float32 action to the action space, Box(0, 1), before stepping.
        given = np.clip(a, np.float32(0), np.float32(1)) if variant == "float32" else a.astype(np.float64)
        with contextlib.redirect_stdout(sys.stderr):
            state, reward, terminal, truncated, info = env.step(given)
        record["steps"].append({
            "action": [float(v) for v in given],
            "state": np.asarray(state, dtype=np.float64).tolist(),
            "reward": float(reward), "terminal": bool(terminal), "truncated": bool(truncated), "info": info,
            "day": env.day, "portfolio_value": float(env.portfolio_value),
            "portfolio_return": float(env.portfolio_return_memory[-1]),
            "weights": [float(w) for w in env.actions_memory[-1]],
        })
    import math

    x = np.random.default_rng(1).uniform(-5, 5, 10000)
    record["exp_is_libm"] = bool((np.exp(x) == np.array([math.exp(v) for v in x])).all())
    # FinRL's softmax and numpy's sum on vectors long enough for numpy's pairwise summation (8 and more values).
    rng = np.random.default_rng(7)
    record["softmax"], record["sums"] = [], []
    for n in [1, 2, 7, 8, 9, 16, 17, 30, 128, 129, 300]:
        a = (rng.standard_normal(n) * 3).astype(np.float32)
        record["softmax"].append({"action": [float(v) for v in a],
                                  "weights": [float(w) for w in env.softmax_normalization(a.astype(np.float64))]})
        v = rng.standard_normal(n) * np.exp(rng.uniform(-20, 20, n))
        record["sums"].append({"values": [float(u) for u in v], "sum": float(np.sum(v))})
    return record


def main():
    if sys.argv[1] == "--child":
        _, _, variant, env_path, djia, out = sys.argv
        with open(out, "w") as f:
            json.dump(run(env_path, djia, variant), f)
        return

    import numpy as np
    import pandas as pd
    import numpy.core._multiarray_umath as umath

    env_path, djia, out = sys.argv[1], sys.argv[2], sys.argv[3]
    avx512 = " ".join(f for f in umath.__cpu_dispatch__ if f.startswith("AVX512") and umath.__cpu_features__.get(f))
    records = {}
    for variant, disabled in [("steps", avx512), ("host_exp", ""), ("float32", avx512)]:
        child_env = dict(os.environ, NPY_DISABLE_CPU_FEATURES=disabled)
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
            path = tmp.name
        subprocess.run([sys.executable, os.path.abspath(__file__), "--child", variant, os.path.abspath(env_path),
                        os.path.abspath(djia), path], env=child_env, check=True)
        with open(path) as f:
            records[variant] = json.load(f)
        os.remove(path)
    assert records["steps"]["exp_is_libm"], "np.exp is not the C library's exp with AVX-512 dispatch disabled"

    full, df = build_frame(djia)
    dates = list(full.date.unique())
    main_run = records["steps"]
    fixture = {
        "generator": "tests/reference/finrl/portfolio.py",
        "numpy": np.__version__, "pandas": pd.__version__,
        "disabled_cpu_features": avx512,
        "host_exp_is_libm": records["host_exp"]["exp_is_libm"],
        "tickers": TICKERS, "indicators": INDICATORS, "lookback": LOOKBACK, "initial_amount": INITIAL_AMOUNT,
        "dates": dates,
        # all dates, date-major (date, then ticker in TICKERS order)
        "close": [[float(v) for v in full[full.date == d].sort_values("tic").close] for d in dates],
        # the environment's days (dates[lookback:])
        "env_dates": list(df.date.unique()),
        "cov": [np.asarray(df.loc[i, "cov_list"].values[0]).tolist() for i in range(len(df.index.unique()))],
        "tech": [[[float(v) for v in df.loc[i, name].values] for name in INDICATORS] for i in range(len(df.index.unique()))],
        "reset_state": main_run["reset_state"],
        "steps": main_run["steps"],
        "softmax": main_run["softmax"],
        "sums": main_run["sums"],
        "host_exp": [{k: s[k] for k in ("reward", "portfolio_value", "portfolio_return", "weights")}
                     for s in records["host_exp"]["steps"]],
        "float32": [{k: s[k] for k in ("action", "reward", "portfolio_value", "portfolio_return", "weights")}
                    for s in records["float32"]["steps"]],
    }
    with open(out, "w") as f:
        json.dump(fixture, f, indent=None, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
