using System.Globalization;
using System.Text.Json;
using Research.Core.Environments;
using Research.Core.Environments.ClassicControl;

namespace Research.Core.Tests.Environments;

public class ClassicControlTests
{
    // ---- Gymnasium's rollouts (tests/reference/gymnasium/rollouts.py) ----

    [Theory]
    [InlineData("CartPole-v1")]
    [InlineData("Acrobot-v1")]
    [InlineData("Pendulum-v1")]
    [InlineData("MountainCarContinuous-v0")]
    public void Each_environment_reproduces_gymnasiums_rollouts_bit_for_bit(string id)
    {
        var fixture = GymFixture.Load(id);
        Assert.NotEmpty(fixture.Rollouts);
        int steps = 0;
        foreach (var r in fixture.Rollouts)
        {
            var env = ClassicControlRegistry.Make(id);
            var obs = new float[env.ObservationSpace.FlatSize];
            env.SetState(r.StartState, obs);
            AssertBits(r.InitialObservation, obs, $"{r.Name}: initial observation");
            Assert.Equal(r.StartState, env.State.ToArray());

            var action = new float[1];
            for (int t = 0; t < r.Steps.Count; t++)
            {
                var s = r.Steps[t];
                action[0] = s.Action;
                var outcome = env.Step(action, obs);
                string at = $"{r.Name}, step {t + 1}";

                // Observations (float32), Gymnasium's float64 state and the rewards agree to the last bit (the rewards
                // would be allowed 1e-12; they need no tolerance). This rests on Math.Sin/Math.Cos being the C library's,
                // as NumPy's are in the fixtures (see tests/reference/README.md); another C library may differ by an ULP.
                AssertBits(s.Observation, obs, at + ": observation");
                AssertBits(s.State, env.State, at + ": state");
                Assert.True(BitConverter.DoubleToInt64Bits(outcome.Reward) == BitConverter.DoubleToInt64Bits(s.Reward), $"{at}: reward {F(outcome.Reward)}, Gymnasium {F(s.Reward)}");
                Assert.True(s.Terminated == outcome.Terminated, $"{at}: terminated {outcome.Terminated}, Gymnasium {s.Terminated}");
                Assert.True(s.Truncated == outcome.Truncated, $"{at}: truncated {outcome.Truncated}, Gymnasium {s.Truncated}");
            }

            steps += r.Steps.Count;
            Assert.False(env.IsRunning, $"{r.Name}: the fixture ends its episode");
            Assert.Throws<InvalidOperationException>(() => env.Step(action, obs));
        }

        Assert.True(steps > 500, $"{id}: only {steps} fixture steps");
    }

    [Fact]
    public void The_fixtures_cover_termination_and_truncation_by_the_time_limit()
    {
        foreach (string id in ClassicControlRegistry.Ids)
        {
            var fixture = GymFixture.Load(id);
            var ends = fixture.Rollouts.Select(r => r.Steps[^1]).ToList();
            int limit = ClassicControlRegistry.Make(id).MaxEpisodeSteps;
            Assert.Equal(limit, fixture.MaxEpisodeStepsSeen);
            Assert.Contains(ends, s => s.Truncated);
            if (id != Pendulum.GymId) Assert.Contains(ends, s => s.Terminated);
        }
    }

    // ---- Hand-computed first steps ----

    [Fact]
    public void CartPole_first_step_from_rest_matches_the_equations_in_closed_form()
    {
        // θ = θ̇ = 0, F = +10: temp = 100/11, θ̈ = −(100/11) / (0.5 (4/3 − 0.1/1.1)) = −600/41,
        // ẍ = 100/11 + 0.05 (600/41) / 1.1 = 400/41; Euler: ẋ' = 0.02·400/41 = 8/41, θ̇' = −0.02·600/41 = −12/41.
        var env = new CartPole();
        var obs = new float[4];
        env.SetState([0, 0, 0, 0], obs);
        var outcome = env.Step([1f], obs);
        Assert.Equal(0.0, env.State[0]);
        Assert.Equal(8.0 / 41, env.State[1], 1e-15);
        Assert.Equal(0.0, env.State[2]);
        Assert.Equal(-12.0 / 41, env.State[3], 1e-15);
        Assert.Equal([0f, (float)(8.0 / 41), 0f, (float)(-12.0 / 41)], obs);
        Assert.Equal(new StepOutcome(1.0, false, false), outcome);
    }

    [Fact]
    public void CartPole_first_step_matches_the_textbook_equations()
    {
        // Florian (2007), frictionless: θ̈ = (g sinθ + cosθ (−F − m_p l θ̇² sinθ) / M) / (l (4/3 − m_p cos²θ / M)),
        // ẍ = (F + m_p l (θ̇² sinθ − θ̈ cosθ)) / M, with M = m_c + m_p; then one explicit Euler step of 0.02 s.
        double x = 0.3, xd = -0.4, th = 0.1, thd = -0.7, f = -10, g = 9.8, mc = 1.0, mp = 0.1, l = 0.5, m = mc + mp, tau = 0.02;
        double thdd = (g * Math.Sin(th) + Math.Cos(th) * (-f - mp * l * thd * thd * Math.Sin(th)) / m)
            / (l * (4.0 / 3.0 - mp * Math.Cos(th) * Math.Cos(th) / m));
        double xdd = (f + mp * l * (thd * thd * Math.Sin(th) - thdd * Math.Cos(th))) / m;
        var env = new CartPole();
        var obs = new float[4];
        env.SetState([x, xd, th, thd], obs);
        env.Step([0f], obs);
        double[] expected = [x + tau * xd, xd + tau * xdd, th + tau * thd, thd + tau * thdd];
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i], env.State[i], 1e-12);
            Assert.Equal((float)expected[i], obs[i], 1e-6f);
        }
    }

    [Fact]
    public void Pendulum_first_step_matches_the_equations()
    {
        // θ̇' = θ̇ + (3g/(2l) sinθ + 3/(m l²) u) dt, θ' = θ + θ̇' dt; cost from the old state: θ² + 0.1 θ̇² + 0.001 u².
        double th = 1.0, thd = 0.5, u = 1.0;
        var env = new Pendulum();
        var obs = new float[3];
        env.SetState([th, thd], obs);
        Assert.Equal([(float)Math.Cos(1.0), (float)Math.Sin(1.0), 0.5f], obs);
        var outcome = env.Step([(float)u], obs);
        double newThd = thd + (15 * Math.Sin(th) + 3 * u) * 0.05;
        double newTh = th + newThd * 0.05;
        Assert.Equal(newThd, env.State[1], 1e-14);
        Assert.Equal(newTh, env.State[0], 1e-14);
        Assert.Equal(-(1.0 + 0.025 + 0.001), outcome.Reward, 1e-14);
        Assert.Equal([(float)Math.Cos(newTh), (float)Math.Sin(newTh), (float)newThd], obs);
        Assert.False(outcome.Done);
    }

    [Fact]
    public void Pendulum_cost_normalizes_the_angle_and_the_torque_and_speed_are_clipped()
    {
        Assert.Equal(-Math.PI, Pendulum.AngleNormalize(Math.PI));
        Assert.Equal(-Math.PI, Pendulum.AngleNormalize(-Math.PI));
        Assert.Equal(-Math.PI / 2, Pendulum.AngleNormalize(3 * Math.PI / 2), 1e-15);
        Assert.Equal(4 - 2 * Math.PI, Pendulum.AngleNormalize(4), 1e-15);
        Assert.Equal(-4 + 2 * Math.PI, Pendulum.AngleNormalize(-4), 1e-15);

        // θ = 7 costs (7 − 2π)²; a torque of 5 acts (and costs) as 2; θ̇ = 7.9 + (15 sin 7 + 3·2)·0.05 ≈ 8.69 stops at 8.
        var env = new Pendulum();
        var obs = new float[3];
        env.SetState([7.0, 7.9], obs);
        var outcome = env.Step([5f], obs);
        Assert.Equal(-(Math.Pow(7 - 2 * Math.PI, 2) + 0.1 * 7.9 * 7.9 + 0.001 * 4), outcome.Reward, 1e-12);
        Assert.Equal(8.0, env.State[1]);
        Assert.Equal(7.0 + 8 * 0.05, env.State[0], 1e-15);
        Assert.Equal(8f, obs[2]);
    }

    // ---- Termination ----

    [Theory]
    [InlineData(0.0, 0.0, 0.2, 0.6, true)]     // θ passes +12°
    [InlineData(0.0, 0.0, -0.2, -0.6, true)]   // θ passes −12°
    [InlineData(0.0, 0.0, 0.2, 0.1, false)]    // θ stays inside
    [InlineData(2.39, 1.0, 0.0, 0.0, true)]    // x passes +2.4
    [InlineData(-2.39, -1.0, 0.0, 0.0, true)]  // x passes −2.4
    [InlineData(2.3, 1.0, 0.0, 0.0, false)]    // x stays inside
    public void CartPole_terminates_when_the_pole_angle_or_cart_position_leaves_its_range(double x, double xd, double th, double thd, bool terminated)
    {
        var env = new CartPole();
        var obs = new float[4];
        env.SetState([x, xd, th, thd], obs);
        var outcome = env.Step([1f], obs);
        Assert.Equal(terminated, outcome.Terminated);
        Assert.Equal(1.0, outcome.Reward); // also on the terminating step
        Assert.Equal(terminated, Math.Abs(env.State[0]) > CartPole.XThreshold || Math.Abs(env.State[2]) > CartPole.ThetaThresholdRadians);
        Assert.Equal(12 * Math.PI / 180, CartPole.ThetaThresholdRadians, 1e-15);
    }

    [Fact]
    public void MountainCar_terminates_at_the_goal_moving_right_and_rewards_100_minus_the_unclipped_action_cost()
    {
        var env = new MountainCarContinuous();
        var obs = new float[2];
        env.SetState([0.44, 0.02], obs);
        var outcome = env.Step([0.5f], obs);
        Assert.True(env.State[0] >= MountainCarContinuous.GoalPosition);
        Assert.True(outcome.Terminated);
        Assert.False(outcome.Truncated);
        Assert.Equal(100 - 0.1 * 0.25, outcome.Reward, 1e-12);

        // Past the goal but moving left: not terminal.
        env.SetState([0.5, -0.01], obs);
        outcome = env.Step([-1f], obs);
        Assert.True(env.State[0] >= MountainCarContinuous.GoalPosition);
        Assert.False(outcome.Terminated);

        // An action of 2 pushes as 1 (Gymnasium's min/max) but costs 0.1·2², as in Gymnasium.
        var a = new MountainCarContinuous();
        var b = new MountainCarContinuous();
        a.SetState([-0.5, 0.0], obs);
        b.SetState([-0.5, 0.0], obs);
        var ra = a.Step([2f], obs);
        var rb = b.Step([1f], obs);
        Assert.Equal(b.State.ToArray(), a.State.ToArray());
        Assert.Equal(-0.4, ra.Reward, 1e-15);
        Assert.Equal(-0.1, rb.Reward, 1e-15);
    }

    [Fact]
    public void MountainCar_left_wall_is_inelastic_and_the_state_is_stored_as_float32()
    {
        var env = new MountainCarContinuous();
        var obs = new float[2];
        env.SetState([-1.19, -0.06], obs);
        env.Step([-1f], obs);
        Assert.Equal((double)(float)MountainCarContinuous.MinPosition, env.State[0]);
        Assert.Equal(0.0, env.State[1]);
        Assert.Equal([(float)MountainCarContinuous.MinPosition, 0f], obs);
    }

    [Fact]
    public void Acrobot_rewards_minus_one_until_the_tip_rises_above_the_bar()
    {
        var env = new Acrobot();
        var obs = new float[6];
        env.SetState([0, 0, 0, 0], obs);
        Assert.Equal([1f, 0f, 1f, 0f, 0f, 0f], obs);
        var outcome = env.Step([1f], obs);
        Assert.Equal(new StepOutcome(-1.0, false, false), outcome);
        // At rest, hanging, no torque: nothing moves but for cos(−π/2) ≈ 6e-17 in the gravity terms, as in Gymnasium.
        foreach (double v in env.State) Assert.InRange(v, -1e-15, 1e-15);

        // Upright (θ1 = π, θ2 = 0): −cos θ1 − cos(θ1 + θ2) = 2 > 1.
        env.SetState([Math.PI - 0.01, 0, 0, 0], obs);
        outcome = env.Step([1f], obs);
        Assert.True(outcome.Terminated);
        Assert.Equal(0.0, outcome.Reward);
    }

    // ---- Time limits ----

    [Theory]
    [InlineData("CartPole-v1", 500)]
    [InlineData("Acrobot-v1", 500)]
    [InlineData("Pendulum-v1", 200)]
    [InlineData("MountainCarContinuous-v0", 999)]
    public void The_step_that_reaches_the_time_limit_is_truncated(string id, int limit)
    {
        var env = ClassicControlRegistry.Make(id);
        Assert.Equal(limit, env.MaxEpisodeSteps);
        var obs = new float[env.ObservationSpace.FlatSize];
        // States that stay away from termination for the whole limit with a neutral action.
        double[] start = id switch
        {
            "CartPole-v1" => [0, 0, 0, 0],
            "Acrobot-v1" => [0, 0, 0, 0],
            "Pendulum-v1" => [0.3, 0],
            _ => [-0.5236, 0], // the valley's floor (cos 3x = 0 at x = −π/6)
        };
        float neutral = id switch { "CartPole-v1" => 1f, "Acrobot-v1" => 1f, _ => 0f };
        env.SetState(start, obs);
        var action = new[] { neutral };
        for (int t = 1; t <= limit; t++)
        {
            if (id == "CartPole-v1") action[0] = 0.5 * env.State[0] + env.State[1] + 12 * env.State[2] + 2 * env.State[3] > 0 ? 1f : 0f;
            var outcome = env.Step(action, obs);
            Assert.False(outcome.Terminated, $"step {t} terminated");
            Assert.Equal(t == limit, outcome.Truncated);
            Assert.Equal(t, env.ElapsedSteps);
        }

        Assert.Throws<InvalidOperationException>(() => env.Step(action, obs));
        env.Reset(1, obs);
        Assert.Equal(0, env.ElapsedSteps);
        env.Step(action, obs);
    }

    [Fact]
    public void A_terminating_step_at_the_time_limit_is_both_terminated_and_truncated()
    {
        var env = new CartPole(maxEpisodeSteps: 1);
        var obs = new float[4];
        env.SetState([2.39, 1.0, 0, 0], obs);
        var outcome = env.Step([1f], obs);
        Assert.True(outcome.Terminated);
        Assert.True(outcome.Truncated);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CartPole(maxEpisodeSteps: 0));
    }

    [Fact]
    public void SetState_starts_a_fresh_episode()
    {
        var env = new Pendulum();
        var obs = new float[3];
        env.Reset(3, obs);
        for (int t = 0; t < 150; t++) env.Step([0f], obs);
        env.SetState([0.1, 0.2], obs);
        Assert.Equal(0, env.ElapsedSteps);
        Assert.True(env.IsRunning);
        Assert.Equal([0.1, 0.2], env.State.ToArray());
        for (int t = 0; t < 199; t++) Assert.False(env.Step([0f], obs).Done);
        Assert.True(env.Step([0f], obs).Truncated);
    }

    // ---- Reset and seeds ----

    [Theory]
    [InlineData("CartPole-v1")]
    [InlineData("Acrobot-v1")]
    [InlineData("Pendulum-v1")]
    [InlineData("MountainCarContinuous-v0")]
    public void The_same_seed_gives_the_same_episode_and_null_continues_the_generator(string id)
    {
        float[] Run(IEnv env, int? seed)
        {
            var obs = new float[env.ObservationSpace.FlatSize];
            env.Reset(seed, obs);
            var trace = new List<float>(obs);
            var action = new float[1];
            for (int t = 0; t < 20; t++)
            {
                action[0] = env.ActionSpace is DiscreteSpace d ? t % d.N : (t % 3 - 1) * 0.5f;
                var o = env.Step(action, obs);
                trace.AddRange(obs);
                trace.Add((float)o.Reward);
                if (o.Done) break;
            }

            return trace.ToArray();
        }

        var a = ClassicControlRegistry.Make(id);
        var b = ClassicControlRegistry.Make(id);
        var a1 = Run(a, 123);
        Assert.Equal(a1, Run(b, 123));
        var a2 = Run(a, null);
        Assert.Equal(a2, Run(b, null));
        Assert.NotEqual(a1, a2);
        Assert.NotEqual(a1, Run(b, 124));
        Assert.Equal(a1, Run(b, 123));
    }

    [Fact]
    public void Reset_draws_from_gymnasiums_initial_distributions()
    {
        var cart = new CartPole();
        var acro = new Acrobot();
        var pend = new Pendulum();
        var car = new MountainCarContinuous();
        var o4 = new float[4];
        var o6 = new float[6];
        var o3 = new float[3];
        var o2 = new float[2];
        for (int seed = 0; seed < 200; seed++)
        {
            cart.Reset(seed, o4);
            foreach (double v in cart.State) Assert.InRange(v, -0.05, 0.05);
            acro.Reset(seed, o6);
            foreach (double v in acro.State)
            {
                Assert.InRange(v, -0.1, 0.1);
                Assert.Equal(v, (double)(float)v); // Gymnasium keeps the reset state as float32
            }

            pend.Reset(seed, o3);
            Assert.InRange(pend.State[0], -Math.PI, Math.PI);
            Assert.InRange(pend.State[1], -1.0, 1.0);
            car.Reset(seed, o2);
            Assert.InRange(car.State[0], -0.6, -0.4);
            Assert.Equal(0.0, car.State[1]);
            Assert.Equal([(float)car.State[0], 0f], o2);
        }
    }

    // ---- Errors ----

    [Fact]
    public void Bad_discrete_actions_are_rejected_and_leave_the_state_unchanged()
    {
        var env = new CartPole();
        var obs = new float[4];
        env.SetState([0.01, 0.02, 0.03, 0.04], obs);
        env.Step([1f], obs);
        var before = env.State.ToArray();
        var obsBefore = obs.ToArray();

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => env.Step([2f], obs));
        Assert.Contains("Discrete(2", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step([-1f], obs));
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step([0.5f], obs));
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step([float.NaN], obs));
        Assert.Throws<ArgumentException>(() => env.Step([], obs));
        Assert.Throws<ArgumentException>(() => env.Step([1f, 0f], obs));
        Assert.Throws<ArgumentException>(() => env.Step([1f], new float[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Acrobot().StepAfterReset([3f]));

        Assert.Equal(before, env.State.ToArray());
        Assert.Equal(obsBefore, obs);
        Assert.Equal(1, env.ElapsedSteps);
        Assert.True(env.IsRunning);

        // The next good step is the one an untouched copy takes.
        var twin = new CartPole();
        var twinObs = new float[4];
        twin.SetState(before, twinObs);
        Assert.Equal(twin.Step([0f], twinObs), env.Step([0f], obs));
        Assert.Equal(twin.State.ToArray(), env.State.ToArray());
    }

    [Theory]
    [InlineData("Pendulum-v1")]
    [InlineData("MountainCarContinuous-v0")]
    public void Bad_continuous_actions_are_rejected_and_leave_the_state_unchanged(string id)
    {
        var env = ClassicControlRegistry.Make(id);
        var obs = new float[env.ObservationSpace.FlatSize];
        env.Reset(5, obs);
        env.Step([0.3f], obs);
        var before = env.State.ToArray();

        var nan = Assert.Throws<ArgumentOutOfRangeException>(() => env.Step([float.NaN], obs));
        Assert.Contains("action[0] is NaN", nan.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step([float.PositiveInfinity], obs));
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step([float.NegativeInfinity], obs));
        var len = Assert.Throws<ArgumentException>(() => env.Step([0f, 0f], obs));
        Assert.Contains("has 2 values", len.Message);
        Assert.Throws<ArgumentException>(() => env.Step([], obs));

        Assert.Equal(before, env.State.ToArray());
        Assert.Equal(1, env.ElapsedSteps);
        Assert.True(env.IsRunning);
    }

    [Fact]
    public void Stepping_before_reset_or_after_the_end_throws()
    {
        var env = new Acrobot();
        var obs = new float[6];
        var first = Assert.Throws<InvalidOperationException>(() => env.Step([1f], obs));
        Assert.Contains("Reset", first.Message);

        var done = new CartPole();
        var o4 = new float[4];
        done.SetState([0, 0, 0.2, 1.0], o4);
        Assert.True(done.Step([1f], o4).Terminated);
        var after = Assert.Throws<InvalidOperationException>(() => done.Step([1f], o4));
        Assert.Contains("ended", after.Message);
        done.Reset(null, o4);
        Assert.False(done.Step([1f], o4).Done);
    }

    [Fact]
    public void SetState_and_Reset_check_their_arguments()
    {
        var env = new Pendulum();
        var obs = new float[3];
        Assert.Throws<ArgumentException>(() => env.SetState([0.1], obs));
        Assert.Throws<ArgumentException>(() => env.SetState([0.1, 0.2, 0.3], obs));
        Assert.Throws<ArgumentException>(() => env.SetState([double.NaN, 0], obs));
        Assert.Throws<ArgumentException>(() => env.SetState([0, 0], new float[2]));
        Assert.Throws<ArgumentException>(() => env.Reset(1, new float[4]));
        Assert.False(env.IsRunning);
    }

    // ---- Registry, spaces, allocation ----

    [Fact]
    public void The_registry_makes_the_four_ids_and_lists_them_for_an_unknown_one()
    {
        Assert.Equal(["CartPole-v1", "Acrobot-v1", "Pendulum-v1", "MountainCarContinuous-v0"], ClassicControlRegistry.Ids);
        Assert.IsType<CartPole>(ClassicControlRegistry.Make("CartPole-v1"));
        Assert.IsType<Acrobot>(ClassicControlRegistry.Make("Acrobot-v1"));
        Assert.IsType<Pendulum>(ClassicControlRegistry.Make("Pendulum-v1"));
        Assert.IsType<MountainCarContinuous>(ClassicControlRegistry.Make("MountainCarContinuous-v0"));
        foreach (string id in ClassicControlRegistry.Ids) Assert.Equal(id, ClassicControlRegistry.Make(id).Id);

        var e = Assert.Throws<ArgumentException>(() => ClassicControlRegistry.Make("cartpole-v1"));
        foreach (string id in ClassicControlRegistry.Ids) Assert.Contains(id, e.Message);
        Assert.Throws<ArgumentException>(() => ClassicControlRegistry.Make("MountainCar-v0"));
    }

    [Fact]
    public void The_spaces_are_gymnasiums()
    {
        var cart = (BoxSpace)new CartPole().ObservationSpace;
        Assert.Equal([4.8f, float.PositiveInfinity, (float)(24 * Math.PI / 180), float.PositiveInfinity], cart.High);
        Assert.Equal(new DiscreteSpace(2), new CartPole().ActionSpace);

        var acro = (BoxSpace)new Acrobot().ObservationSpace;
        Assert.Equal([1f, 1f, 1f, 1f, (float)(4 * Math.PI), (float)(9 * Math.PI)], acro.High);
        Assert.Equal(new DiscreteSpace(3), new Acrobot().ActionSpace);

        var pend = (BoxSpace)new Pendulum().ObservationSpace;
        Assert.Equal([1f, 1f, 8f], pend.High);
        var pendAct = (BoxSpace)new Pendulum().ActionSpace;
        Assert.Equal([-2f], pendAct.Low);
        Assert.Equal([2f], pendAct.High);

        var car = (BoxSpace)new MountainCarContinuous().ObservationSpace;
        Assert.Equal([-1.2f, -0.07f], car.Low);
        Assert.Equal([0.6f, 0.07f], car.High);
        var carAct = (BoxSpace)new MountainCarContinuous().ActionSpace;
        Assert.Equal([-1f], carAct.Low);
        Assert.Equal([1f], carAct.High);

        Assert.Empty(new CartPole().Info());
    }

    [Theory]
    [InlineData("CartPole-v1")]
    [InlineData("Acrobot-v1")]
    [InlineData("Pendulum-v1")]
    [InlineData("MountainCarContinuous-v0")]
    public void Step_allocates_nothing(string id)
    {
        var env = ClassicControlRegistry.Make(id);
        var obs = new float[env.ObservationSpace.FlatSize];
        var action = new float[1];
        env.Reset(9, obs); // a seeded reset allocates its Random; Reset(null) and Step do not
        void Run(int n)
        {
            env.Reset(null, obs);
            for (int t = 0; t < n; t++)
            {
                action[0] = env.ActionSpace is DiscreteSpace d ? t % d.N : 0.25f;
                if (env.Step(action, obs).Done) env.Reset(null, obs);
            }
        }

        Run(2000); // warm up (tiered compilation)
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(2000);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    // ---- Helpers ----

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static void AssertBits(IReadOnlyList<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.True(expected.Count == actual.Length, $"{what}: {actual.Length} values, Gymnasium {expected.Count}");
        for (int i = 0; i < expected.Count; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{what}[{i}]: {actual[i].ToString("R", CultureInfo.InvariantCulture)}, Gymnasium {expected[i].ToString("R", CultureInfo.InvariantCulture)}");
            }
        }
    }

    private static void AssertBits(IReadOnlyList<double> expected, ReadOnlySpan<double> actual, string what)
    {
        Assert.True(expected.Count == actual.Length, $"{what}: {actual.Length} values, Gymnasium {expected.Count}");
        for (int i = 0; i < expected.Count; i++)
        {
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]))
            {
                Assert.Fail($"{what}[{i}]: {F(actual[i])}, Gymnasium {F(expected[i])}");
            }
        }
    }
}

/// <summary>One step of a Gymnasium rollout fixture.</summary>
internal sealed record GymStep(float Action, float[] Observation, double[] State, double Reward, bool Terminated, bool Truncated);

/// <summary>One rollout: Gymnasium's env.unwrapped.state set to StartState, then the stored actions.</summary>
internal sealed record GymRollout(string Name, double[] StartState, float[] InitialObservation, IReadOnlyList<GymStep> Steps);

/// <summary>A fixture written by tests/reference/gymnasium/rollouts.py (Gymnasium's own rollouts).</summary>
internal sealed record GymFixture(string Env, IReadOnlyList<GymRollout> Rollouts)
{
    /// <summary>The longest rollout (the time limit when one is truncated).</summary>
    public int MaxEpisodeStepsSeen => Rollouts.Max(r => r.Steps.Count);

    public static GymFixture Load(string id)
    {
        string path = Path.Combine(TestPaths.RepoRoot, "tests", "Research.Core.Tests", "Environments", "Reference", id + ".gymnasium.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        Assert.Equal(id, root.GetProperty("env").GetString());
        var rollouts = new List<GymRollout>();
        foreach (var r in root.GetProperty("rollouts").EnumerateArray())
        {
            var steps = r.GetProperty("steps").EnumerateArray().Select(s => new GymStep(
                Float(s.GetProperty("action")),
                Floats(s.GetProperty("observation")),
                Doubles(s.GetProperty("state")),
                s.GetProperty("reward").GetDouble(),
                s.GetProperty("terminated").GetBoolean(),
                s.GetProperty("truncated").GetBoolean())).ToList();
            rollouts.Add(new GymRollout(r.GetProperty("name").GetString()!, Doubles(r.GetProperty("start_state")), Floats(r.GetProperty("initial_observation")), steps));
        }

        return new GymFixture(id, rollouts);
    }

    // The fixture writes float32 values as the shortest decimal of the equal double: parse as double, then narrow exactly.
    private static float Float(JsonElement e)
    {
        double d = e.GetDouble();
        float f = (float)d;
        Assert.Equal(d, (double)f);
        return f;
    }

    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(Float).ToArray();

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(x => x.GetDouble()).ToArray();
}

internal static class ClassicControlTestExtensions
{
    /// <summary>Resets with seed 0 and steps once (for one-line error checks).</summary>
    public static StepOutcome StepAfterReset(this IEnv env, float[] action)
    {
        var obs = new float[env.ObservationSpace.FlatSize];
        env.Reset(0, obs);
        return env.Step(action, obs);
    }
}
