namespace Research.Core.Environments.ClassicControl;

/// <summary><c>gymnasium.make</c> for the classic-control environments implemented here, with Gymnasium's time limits.</summary>
public static class ClassicControlRegistry
{
    /// <summary>The Gymnasium ids <see cref="Make"/> accepts (case-sensitive, as Gymnasium's are).</summary>
    public static IReadOnlyList<string> Ids { get; } = [CartPole.GymId, Acrobot.GymId, Pendulum.GymId, MountainCarContinuous.GymId];

    /// <summary>A new environment for a Gymnasium id, with the defaults and <c>max_episode_steps</c> Gymnasium registers.</summary>
    /// <exception cref="ArgumentException">The id is not one of <see cref="Ids"/> (the message lists them).</exception>
    public static ClassicControlEnv Make(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return id switch
        {
            CartPole.GymId => new CartPole(),
            Acrobot.GymId => new Acrobot(),
            Pendulum.GymId => new Pendulum(),
            MountainCarContinuous.GymId => new MountainCarContinuous(),
            _ => throw new ArgumentException($"Unknown classic-control environment id '{id}'; valid ids: {string.Join(", ", Ids)}.", nameof(id)),
        };
    }
}
