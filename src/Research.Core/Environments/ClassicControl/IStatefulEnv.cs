namespace Research.Core.Environments.ClassicControl;

/// <summary>
/// An environment whose physical state can be read and set, as Gymnasium's <c>env.unwrapped.state</c> can: a rollout can
/// start from a given state and be compared step by step with Gymnasium's from the same state.
/// </summary>
public interface IStatefulEnv : IEnv
{
    /// <summary>The current state in the layout and precision Gymnasium keeps in <c>env.unwrapped.state</c>.</summary>
    ReadOnlySpan<double> State { get; }

    /// <summary>
    /// Sets the state (as assigning <c>env.unwrapped.state</c> after a reset does), starts a fresh episode (the time
    /// limit's step counter at 0) and writes the state's observation. The random generator is left as it was.
    /// </summary>
    /// <exception cref="ArgumentException">The state has the wrong length or a value that is not finite, or the
    /// observation buffer has the wrong length.</exception>
    void SetState(ReadOnlySpan<double> state, Span<float> observation);
}
