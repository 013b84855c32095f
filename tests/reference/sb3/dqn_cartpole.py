# Anchor for `research rl validate --algo dqn --env CartPole-v1`: Stable-Baselines3's own DQN with RL-Zoo's CartPole-v1
# hyperparameters (the workbench's DqnConfig.CartPoleZoo), trained for the given steps with the given seed, then 10
# deterministic episodes from resets seeded 1000..1009, as `research rl validate` evaluates.
# Usage (see tests/reference/README.md): PYTHONPATH=<sb3 and gymnasium sources> python3 dqn_cartpole.py SEED STEPS
import sys, time
import torch
torch.set_num_threads(1)
import gymnasium as gym
from stable_baselines3 import DQN
seed, steps = int(sys.argv[1]), int(sys.argv[2])
env = gym.make("CartPole-v1")
model = DQN("MlpPolicy", env, learning_rate=2.3e-3, batch_size=64, buffer_size=100_000, learning_starts=1000, gamma=0.99,
            target_update_interval=10, train_freq=256, gradient_steps=128, exploration_fraction=0.16,
            exploration_final_eps=0.04, policy_kwargs=dict(net_arch=[256, 256]), seed=seed, verbose=0)
t = time.time()
model.learn(steps)
wall = time.time() - t
ev = gym.make("CartPole-v1")
rets = []
for e in range(10):
    obs, _ = ev.reset(seed=1000 + e)
    done, total = False, 0.0
    while not done:
        a, _ = model.predict(obs, deterministic=True)
        obs, r, term, trunc, _ = ev.step(a)
        total += r
        done = term or trunc
    rets.append(total)
import numpy as np
print(f"seed {seed} steps {steps} mean {np.mean(rets):.1f} std {np.std(rets):.1f} wall {wall:.0f}s", flush=True)
