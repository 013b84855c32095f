namespace Research.Core.Environments.ClassicControl;

/// <summary>
/// Gymnasium's <c>MountainCarContinuous-v0</c>: drive an underpowered car up the right hill. Force = action clipped to
/// [−1, 1] (Gymnasium's min/max), power 0.0015; velocity clipped to ±0.07, position to [−1.2, 0.6] (an inelastic left
/// wall); termination when position ≥ 0.45 with velocity ≥ <c>goal_velocity</c> (0); reward 100 on that step minus
/// 0.1·action² on every step, with the action as given (not clipped), as in Gymnasium; time limit 999.
/// </summary>
/// <remarks>
/// State (Gymnasium's <c>env.unwrapped.state</c>): [position, velocity]. Gymnasium keeps it in float64 after reset
/// (and after <see cref="ClassicControlEnv.SetState"/>) and stores it as float32 after every step; this class keeps the
/// same values (float32-rounded doubles after a step) and tests termination before the rounding, as Gymnasium does.
/// Observation (float32): the state. Action: <see cref="BoxSpace"/> [−1, 1]^1; NaN or ±∞ is an error. The arithmetic
/// follows Gymnasium's <c>step</c> under NumPy 1.x's promotion rules (float32 action and state meet Python floats in
/// float64); under NumPy 2 (NEP 50) Gymnasium's step runs mostly in float32 and its states differ from these.
/// Reset draws position ~ U(−0.6, −0.4), velocity 0 with <see cref="Random"/>, not NumPy's PCG64.
/// </remarks>
public sealed class MountainCarContinuous : ClassicControlEnv
{
    /// <summary>Gymnasium id.</summary>
    public const string GymId = "MountainCarContinuous-v0";

    /// <summary>Gymnasium's <c>max_episode_steps</c>.</summary>
    public const int DefaultMaxEpisodeSteps = 999;

    /// <summary>Leftmost position.</summary>
    public const double MinPosition = -1.2;

    /// <summary>Rightmost position.</summary>
    public const double MaxPosition = 0.6;

    /// <summary>Bound on the speed.</summary>
    public const double MaxSpeed = 0.07;

    /// <summary>Position that ends the episode.</summary>
    public const double GoalPosition = 0.45;

    /// <summary>Force multiplier.</summary>
    public const double Power = 0.0015;

    private const double MinAction = -1.0;
    private const double MaxAction = 1.0;

    private readonly double _goalVelocity;
    private readonly BoxSpace _actions;

    /// <summary>A mountain car with Gymnasium's goal velocity and time limit (or others).</summary>
    /// <param name="goalVelocity">Least velocity at the goal that ends the episode (Gymnasium's <c>goal_velocity</c>).</param>
    /// <param name="maxEpisodeSteps">Time limit.</param>
    public MountainCarContinuous(double goalVelocity = 0, int maxEpisodeSteps = DefaultMaxEpisodeSteps)
        : base(GymId, new BoxSpace([(float)MinPosition, -(float)MaxSpeed], [(float)MaxPosition, (float)MaxSpeed], 2), BoxSpace.Uniform((float)MinAction, (float)MaxAction, 1), 2, maxEpisodeSteps)
    {
        if (!double.IsFinite(goalVelocity)) throw new ArgumentOutOfRangeException(nameof(goalVelocity), goalVelocity, "The goal velocity must be finite.");
        _goalVelocity = goalVelocity;
        _actions = (BoxSpace)ActionSpace;
    }

    /// <summary>Least velocity at the goal that ends the episode.</summary>
    public double GoalVelocity => _goalVelocity;

    private protected override void SampleInitialState(Random random, Span<double> state)
    {
        state[0] = Uniform(random, -0.6, -0.4);
        state[1] = 0;
    }

    private protected override double Transition(ReadOnlySpan<float> action, Span<double> state, out bool terminated)
    {
        // Checks length and finiteness; the force is Gymnasium's own min(max(a, -1), 1), the reward uses a unclipped.
        Span<float> clipped = stackalloc float[1];
        _actions.ClipAction(action, clipped);
        double a = action[0];
        double position = state[0];
        double velocity = state[1];
        double force = Math.Min(Math.Max(a, MinAction), MaxAction);

        velocity += force * Power - 0.0025 * Math.Cos(3 * position);
        if (velocity > MaxSpeed) velocity = MaxSpeed;
        if (velocity < -MaxSpeed) velocity = -MaxSpeed;
        position += velocity;
        if (position > MaxPosition) position = MaxPosition;
        if (position < MinPosition) position = MinPosition;
        if (position == MinPosition && velocity < 0) velocity = 0;

        terminated = position >= GoalPosition && velocity >= _goalVelocity;
        double reward = terminated ? 100.0 : 0.0;
        reward -= Math.Pow(a, 2) * 0.1;

        // Gymnasium stores the new state as float32.
        state[0] = (float)position;
        state[1] = (float)velocity;
        return reward;
    }

    private protected override void WriteObservation(ReadOnlySpan<double> state, Span<float> observation)
    {
        observation[0] = (float)state[0];
        observation[1] = (float)state[1];
    }
}
