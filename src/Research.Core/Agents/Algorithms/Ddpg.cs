using Research.Core.Environments;

namespace Research.Core.Agents.Algorithms;

/// <summary>
/// Deep Deterministic Policy Gradient (Lillicrap et al. 2016) as Stable-Baselines3 defines it: <see cref="Td3"/> with a
/// single critic, the actor updated after every critic update and no target policy smoothing
/// (<see cref="Td3Config.Ddpg"/>); exploration is Gaussian noise (0.1 by default).
/// </summary>
public sealed class Ddpg : Td3
{
    /// <summary>The algorithm's name in <c>config.json</c>.</summary>
    public new const string Name = "DDPG";

    /// <summary>A new agent; <paramref name="config"/> defaults to <see cref="Td3Config.Ddpg"/> (pass a variant of it to change other settings).</summary>
    public Ddpg(Func<int, IEnv> makeEnv, Td3Config? config = null) : base(Name, config ?? Td3Config.Ddpg, makeEnv, null, null)
    {
    }

    private Ddpg(Td3Config config, Space observationSpace, Space actionSpace, Func<int, IEnv>? makeEnv) : base(Name, config, makeEnv, observationSpace, actionSpace)
    {
    }

    /// <summary>Loads an agent saved by <see cref="Agent{TConfig}.Save"/>.</summary>
    public static new Ddpg Load(string folder, Func<int, IEnv>? makeEnv = null)
    {
        var (manifest, config) = AgentStore.ReadManifest<Td3Config>(folder, Name);
        var agent = new Ddpg(config, manifest.ObservationSpace.ToSpace(), manifest.ActionSpace.ToSpace(), makeEnv);
        agent.LoadSaved(folder, manifest);
        return agent;
    }
}
