"""Rollouts of Gymnasium's classic-control environments from given start states, written as JSON fixtures.

Run with Debian's python3 (NumPy 1.x) and Gymnasium's source on PYTHONPATH (see tests/reference/README.md):

    PYTHONPATH=/tmp/gymsrc /usr/bin/python3 tests/reference/gymnasium/rollouts.py \
        --gymnasium-commit <sha> [--out tests/Research.Core.Tests/Environments/Reference]

Each rollout: gymnasium.make(id) (so the TimeLimit wrapper is on), reset(seed=0), then env.unwrapped.state set to the
start state (float64), then a fixed action sequence until terminated or truncated. The action sequences are computed
here once by simple policies or a seeded generator and stored in the fixture, so the C# tests replay them verbatim.
Observations are float32 values; every number is written with Python's repr (shortest round-trip), so the C# side
parses back the exact float32 (observations, actions) and float64 (states, rewards) values.
"""

import argparse
import json
import math
import os
import sys
import types

import numpy as np

# gymnasium imports farama_notifications inside a try; a stub keeps that import quiet where the package is missing.
sys.modules.setdefault("farama_notifications", types.SimpleNamespace(notifications={}))


def trig_is_libm():
    """True when NumPy's float64 sin/cos give the C library's results (as math.sin/math.cos and .NET's Math do)."""
    rng = np.random.default_rng(1)
    xs = rng.uniform(-20.0, 20.0, 20000)
    return all(np.cos(np.float64(x)) == math.cos(x) and np.sin(np.float64(x)) == math.sin(x) for x in xs)


def ensure_libm_trig():
    """NumPy 1.x on AVX-512 machines computes float64 sin/cos with SVML (a few ULP from libm): run without AVX-512."""
    if trig_is_libm():
        return
    if os.environ.get("ROLLOUTS_REEXEC"):
        sys.exit("np.sin/np.cos still differ from math.sin/math.cos with AVX-512 disabled; cannot write exact fixtures.")
    from numpy.core import _multiarray_umath

    dispatched = set(getattr(_multiarray_umath, "__cpu_dispatch__", _multiarray_umath.__cpu_features__))
    avx512 = [k for k, on in _multiarray_umath.__cpu_features__.items() if on and k.startswith("AVX512") and k in dispatched]
    env = dict(os.environ, NPY_DISABLE_CPU_FEATURES=" ".join(avx512), ROLLOUTS_REEXEC="1")
    print(f"re-running with NPY_DISABLE_CPU_FEATURES={env['NPY_DISABLE_CPU_FEATURES']!r}", file=sys.stderr)
    os.execve(sys.executable, [sys.executable, *sys.argv], env)


def f32(x):
    """A float32 value as the Python float equal to it (written exactly by repr)."""
    return float(np.float32(x))


def observe(env, env_id):
    """The observation Gymnasium would return for the unwrapped env's current state."""
    u = env.unwrapped
    if env_id == "Acrobot-v1":
        return u._get_ob()
    if env_id == "Pendulum-v1":
        return u._get_obs()
    return np.array(u.state, dtype=np.float32)


def rollout(env_id, name, start, policy):
    """Runs one rollout; policy(t, obs) gives the action (int, or a float rounded to float32)."""
    import gymnasium as gym

    env = gym.make(env_id)
    env.reset(seed=0)
    env.unwrapped.state = np.array(start, dtype=np.float64)
    obs = observe(env, env_id)
    first = [f32(v) for v in obs]
    steps = []
    for t in range(env.spec.max_episode_steps):
        a = policy(t, obs)
        if isinstance(a, int):
            action, written = a, a
        else:
            action = np.array([a], dtype=np.float32)
            written = f32(a)
        obs, reward, terminated, truncated, _ = env.step(action)
        steps.append({
            "action": written,
            "observation": [f32(v) for v in obs],
            "state": [float(v) for v in env.unwrapped.state],
            "reward": float(reward),
            "terminated": bool(terminated),
            "truncated": bool(truncated),
        })
        if terminated or truncated:
            break
    env.close()
    end = "terminated" if steps[-1]["terminated"] else "truncated" if steps[-1]["truncated"] else "running"
    print(f"{env_id:26} {name:28} {len(steps):4} steps, {end}", file=sys.stderr)
    return {"name": name, "start_state": [float(v) for v in start], "initial_observation": first, "steps": steps}


def reset_state(env_id, seed):
    """Gymnasium's own initial state for a seed (float64 values of env.unwrapped.state)."""
    import gymnasium as gym

    env = gym.make(env_id)
    env.reset(seed=seed)
    state = [float(v) for v in env.unwrapped.state]
    env.close()
    return state


def seeded_discrete(n, seed):
    rng = np.random.default_rng(seed)
    return lambda t, obs: int(rng.integers(n))


def seeded_continuous(low, high, seed):
    rng = np.random.default_rng(seed)
    return lambda t, obs: float(np.float32(rng.uniform(low, high)))


def cartpole():
    def balance(t, o):
        # A linear state feedback that keeps the pole up and the cart near the middle for 500 steps.
        return int(0.5 * o[0] + 1.0 * o[1] + 12.0 * o[2] + 2.0 * o[3] > 0)

    def drift(t, o):
        # Balances the pole while pushing the cart right until it leaves the track.
        return int(-0.35 + 0.1 * o[1] + 12.0 * o[2] + 2.0 * o[3] > 0)

    return [
        rollout("CartPole-v1", "always-left-angle", [0.01, -0.02, 0.03, 0.04], lambda t, o: 0),
        rollout("CartPole-v1", "always-right-angle", [-0.03, 0.02, -0.01, 0.05], lambda t, o: 1),
        rollout("CartPole-v1", "drift-right-position", [0.0, 0.0, 0.0, 0.0], drift),
        rollout("CartPole-v1", "balance-truncated", [0.02, -0.01, 0.03, -0.02], balance),
        rollout("CartPole-v1", "seed42-random", reset_state("CartPole-v1", 42), seeded_discrete(2, 7)),
    ]


def acrobot():
    def pump(t, o):
        # Torque against the first link's angular velocity pumps energy until the tip swings above the bar.
        return 0 if o[4] > 0 else 2

    return [
        rollout("Acrobot-v1", "pump-terminated", [0.05, -0.03, 0.02, 0.01], pump),
        rollout("Acrobot-v1", "no-torque-truncated", [1.0, -0.5, 0.3, -0.2], lambda t, o: 1),
        rollout("Acrobot-v1", "fast-wrap-and-bound", [-2.0, 3.0, 12.5, -28.0], seeded_discrete(3, 11)),
        rollout("Acrobot-v1", "seed42-random", reset_state("Acrobot-v1", 42), seeded_discrete(3, 7)),
    ]


def pendulum():
    return [
        rollout("Pendulum-v1", "random-out-of-range", [0.5, -0.3], seeded_continuous(-2.5, 2.5, 3)),
        rollout("Pendulum-v1", "spin-max-speed", [10.0, 7.9], lambda t, o: 2.0),
        rollout("Pendulum-v1", "negative-angle-torque", [-10.0, -7.5], lambda t, o: -1.7),
        rollout("Pendulum-v1", "seed42-no-torque", reset_state("Pendulum-v1", 42), lambda t, o: 0.0),
    ]


def mountain_car():
    def bang_bang(t, o):
        return 1.0 if o[1] >= 0 else -1.0

    def wall_then_bang_bang(t, o):
        return -1.0 if t < 25 else bang_bang(t, o)

    rand = seeded_continuous(-1.5, 1.5, 5)
    return [
        rollout("MountainCarContinuous-v0", "bang-bang-goal", [-0.5, 0.0], bang_bang),
        rollout("MountainCarContinuous-v0", "left-wall-then-goal", [-1.15, -0.07], wall_then_bang_bang),
        rollout("MountainCarContinuous-v0", "random-out-of-range", [-0.45, 0.01], rand),
        rollout("MountainCarContinuous-v0", "seed42-no-force-truncated", reset_state("MountainCarContinuous-v0", 42), lambda t, o: 0.0),
    ]


def write(path, env_id, rollouts, meta):
    lines = ["{"]
    for k, v in {"env": env_id, **meta}.items():
        lines.append(f"  {json.dumps(k)}: {json.dumps(v)},")
    lines.append('  "rollouts": [')
    for i, r in enumerate(rollouts):
        lines.append("    {")
        for k in ("name", "start_state", "initial_observation"):
            lines.append(f"      {json.dumps(k)}: {json.dumps(r[k])},")
        lines.append('      "steps": [')
        lines.append(",\n".join("        " + json.dumps(s) for s in r["steps"]))
        lines.append("      ]")
        lines.append("    }" + ("," if i + 1 < len(rollouts) else ""))
    lines.append("  ]")
    lines.append("}")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.normpath(os.path.join(here, "..", "..", "Research.Core.Tests", "Environments", "Reference"))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--gymnasium-commit", required=True, help="commit of the Gymnasium source on PYTHONPATH")
    p.add_argument("--out", default=default_out)
    args = p.parse_args()

    if int(np.__version__.split(".")[0]) >= 2:
        sys.exit("These fixtures follow NumPy 1.x's type promotion (float32 with Python floats → float64); "
                 f"NumPy {np.__version__} (NEP 50) computes Pendulum's and MountainCar's steps differently.")
    ensure_libm_trig()
    import gymnasium

    meta = {
        "gymnasium": gymnasium.__version__,
        "gymnasium_commit": args.gymnasium_commit,
        "numpy": np.__version__,
        "python": sys.version.split()[0],
        "trig": "libm (NumPy's float64 sin/cos equal math.sin/math.cos)",
    }
    os.makedirs(args.out, exist_ok=True)
    for env_id, make, file in [
        ("CartPole-v1", cartpole, "CartPole-v1.gymnasium.json"),
        ("Acrobot-v1", acrobot, "Acrobot-v1.gymnasium.json"),
        ("Pendulum-v1", pendulum, "Pendulum-v1.gymnasium.json"),
        ("MountainCarContinuous-v0", mountain_car, "MountainCarContinuous-v0.gymnasium.json"),
    ]:
        write(os.path.join(args.out, file), env_id, make(), meta)


if __name__ == "__main__":
    main()
