"""Fixtures for the trading environment: FinRL's own StockTradingEnv stepped over the embedded DJIA data.

Usage (Debian 12: /usr/bin/python3 with python3-numpy, python3-pandas, python3-matplotlib):
    git -C <FinRL clone> show HEAD:finrl/meta/env_stock_trading/env_stocktrading.py > /tmp/finrl_env/env_stocktrading.py
    /usr/bin/python3 tests/reference/finrl/stocktrading.py /tmp/finrl_env tests/Research.Core.Tests/Environments/Reference

FinRL's module imports gymnasium and stable_baselines3 only for the Env base class, the Box space, its seeding helper
and DummyVecEnv (which stepping never touches); minimal stand-ins for those names are registered below so that the
environment code runs exactly as written. NumPy's default argsort is an unstable quicksort, so tied integer actions
have no specified order in FinRL; the module's `np` is given a stable argsort (documented in docs/environments.md).

Each case writes <case>.data.csv (FinRL's processed layout), <case>.actions.csv (float32 actions, shortest repr) and
<case>.expected.json (per step: executed shares, reward, terminal, cash, holdings, total asset, cumulative cost, trades,
state), all produced by FinRL's code.
"""
import json
import sys
import types

import numpy as np
import pandas as pd

FINRL_DIR, OUT = sys.argv[1], sys.argv[2]
DATA = "data/djia"

# --- minimal stand-ins for the names env_stocktrading.py imports (no behaviour of FinRL's depends on them) ---
gym = types.ModuleType("gymnasium")
spaces = types.ModuleType("gymnasium.spaces")
utils = types.ModuleType("gymnasium.utils")
seeding = types.ModuleType("gymnasium.utils.seeding")


class Env:
    pass


class Box:
    def __init__(self, low, high, shape):
        self.low, self.high, self.shape = low, high, shape


def np_random(seed=None):
    return np.random.default_rng(seed), seed


gym.Env, spaces.Box, seeding.np_random = Env, Box, np_random
gym.spaces, gym.utils, utils.seeding = spaces, utils, seeding
sb3 = types.ModuleType("stable_baselines3")
sb3_common = types.ModuleType("stable_baselines3.common")
sb3_vec = types.ModuleType("stable_baselines3.common.vec_env")
sb3_vec.DummyVecEnv = object
for name, mod in {"gymnasium": gym, "gymnasium.spaces": spaces, "gymnasium.utils": utils,
                  "gymnasium.utils.seeding": seeding, "stable_baselines3": sb3,
                  "stable_baselines3.common": sb3_common, "stable_baselines3.common.vec_env": sb3_vec}.items():
    sys.modules[name] = mod
sys.path.insert(0, FINRL_DIR)
import env_stocktrading as finrl  # noqa: E402  (FinRL's file, fetched, never committed)


class StableNumPy(types.ModuleType):
    def __getattr__(self, name):
        return getattr(np, name)


stable_np = StableNumPy("numpy")
stable_np.argsort = lambda a, *args, **kw: np.argsort(a, kind="stable")
finrl.np = stable_np

INDICATORS = ["macd", "boll_ub", "boll_lb", "rsi_30", "cci_30", "dx_30", "close_30_sma", "close_60_sma"]


def processed(tickers, start, days):
    """FinRL's processed layout from the embedded bars. The indicator columns are simple deterministic series of the
    bars (the environment only reads them); turbulence is a scaled 5-day absolute return of the first ticker."""
    frames = []
    for t in tickers:
        df = pd.read_csv(f"{DATA}/{t}.csv")
        df = df.rename(columns=str.lower)[["date", "open", "high", "low", "close", "volume"]]
        df["tic"] = t
        c = df["close"]
        df["macd"] = c.ewm(span=12, adjust=False).mean() - c.ewm(span=26, adjust=False).mean()
        sd = c.rolling(20, min_periods=1).std().fillna(0)
        ma = c.rolling(20, min_periods=1).mean()
        df["boll_ub"], df["boll_lb"] = ma + 2 * sd, ma - 2 * sd
        df["rsi_30"] = 50 + 50 * np.tanh(c.pct_change(30).fillna(0) * 5)
        df["cci_30"] = (c - c.rolling(30, min_periods=1).mean()) * 3
        df["dx_30"] = (df["high"] - df["low"]).rolling(30, min_periods=1).mean()
        df["close_30_sma"] = c.rolling(30, min_periods=1).mean()
        df["close_60_sma"] = c.rolling(60, min_periods=1).mean()
        frames.append(df)
    df = pd.concat(frames)
    dates = sorted(set.intersection(*[set(f["date"]) for f in frames]))[start:start + days]
    df = df[df["date"].isin(dates)].sort_values(["date", "tic"]).reset_index(drop=True)
    first = df[df["tic"] == tickers[0]].set_index("date")["close"]
    turb = (first.pct_change(5).abs().fillna(0) * 1000).round(6)
    df["turbulence"] = df["date"].map(turb)
    df.index = df["date"].factorize()[0]
    return df


def run(case, tickers, start, days, steps, initial_amount, hmax, threshold, seed, scale, initial_shares=None):
    df = processed(tickers, start, days)
    n = len(tickers)
    rng = np.random.default_rng(seed)
    actions = np.clip(rng.normal(0.0, scale, size=(steps, n)), -1, 1).astype(np.float32)
    actions[rng.random((steps, n)) < 0.15] = np.float32(0)
    # some exact ties and exact ±1 (sell/buy hmax)
    actions[::7, : n // 2] = np.float32(0.5)
    actions[3::11, :] = np.float32(-1.0)
    env = finrl.StockTradingEnv(
        df=df, stock_dim=n, hmax=hmax, initial_amount=initial_amount,
        num_stock_shares=list(initial_shares or [0] * n), buy_cost_pct=[0.001] * n, sell_cost_pct=[0.001] * n,
        reward_scaling=1e-4, state_space=1 + 2 * n + len(INDICATORS) * n, action_space=n,
        tech_indicator_list=INDICATORS, turbulence_threshold=threshold, print_verbosity=10 ** 9)
    env.reset()
    rows = []
    for i in range(steps):
        state, reward, terminal, truncated, _ = env.step(actions[i])
        executed = env.actions_memory[-1] if not terminal else [0] * n
        rows.append({
            "reward": float(reward), "terminal": bool(terminal),
            "executed": [float(x) for x in executed],
            "cash": float(state[0]), "holdings": [float(x) for x in state[1 + n:1 + 2 * n]],
            "total_asset": float(env.asset_memory[-1]), "cost": float(env.cost), "trades": int(env.trades),
            "state": [float(x) for x in state],
        })
        if terminal:
            break
    cols = ["date", "tic", "open", "high", "low", "close", "volume"] + INDICATORS + ["turbulence"]
    df[cols].to_csv(f"{OUT}/{case}.data.csv", index=False, float_format="%.17g")
    with open(f"{OUT}/{case}.actions.csv", "w") as f:
        f.write(",".join(tickers) + "\n")
        for a in actions[:len(rows)]:
            f.write(",".join(repr(float(x)) if x != int(x) else str(int(x)) for x in a.astype(np.float32).tolist()) + "\n")
    meta = {"case": case, "hmax": hmax, "initial_amount": initial_amount, "turbulence_threshold": threshold,
            "initial_shares": list(initial_shares or [0] * n), "buy_cost_pct": 0.001, "sell_cost_pct": 0.001,
            "reward_scaling": 1e-4, "indicators": INDICATORS, "steps": rows}
    with open(f"{OUT}/{case}.expected.json", "w") as f:
        json.dump(meta, f, indent=None, separators=(",", ":"))
    print(case, len(rows), "steps; final total asset", rows[-1]["total_asset"], "cost", rows[-1]["cost"])


# Small book, cash-limited buys, sells cut to holdings, turbulence liquidations, through the terminal step.
run("finrl-small", ["AAPL", "KO", "MCD", "PFE", "XOM"], 700, 40, 40, 8000, 100, 140.0, 7, 0.6)
# 30 tickers (FinRL's DJIA setting: state of 301), a longer episode, with initial holdings.
dow30 = ["AAPL", "AMZN", "AXP", "BA", "CAT", "CSCO", "CVX", "DIS", "GE", "GOOGL", "GS", "HD", "IBM", "INTC", "JNJ",
         "JPM", "KO", "MCD", "MMM", "MRK", "MSFT", "NKE", "PFE", "PG", "TRV", "UNH", "UTX", "VZ", "WMT", "XOM"]
run("finrl-dow30", dow30, 1500, 120, 120, 1_000_000, 100, None, 11, 0.5, initial_shares=[10] * 30)
