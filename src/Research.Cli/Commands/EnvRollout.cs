using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Research.Core.Environments;
using Research.Core.Environments.ClassicControl;
using Research.Core.IO;

namespace Research.Cli.Commands;

/// <summary><c>research env rollout</c>: a classic-control environment from a given state through a list of actions, to hold against Gymnasium's.</summary>
internal static class EnvRollout
{
    public static Command Create()
    {
        var env = new Option<string>("--env") { Description = $"One of {string.Join(", ", ClassicControlRegistry.Ids)}.", Required = true };
        var state = new Option<string?>("--state") { Description = "Gymnasium's env.unwrapped.state, comma-separated (default: a seeded reset)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the reset when no --state is given.", DefaultValueFactory = _ => 0 };
        var actions = new Option<string>("--actions") { Description = "Actions, ';' between steps, ',' inside a continuous action (e.g. '0;1;1' or '0.5;-1').", Required = true };
        var json = new Option<bool>("--json") { Description = "Print {\"env\", \"steps\": [{\"observation\", \"reward\", \"terminated\", \"truncated\"}, ...]}." };
        var cmd = new Command("rollout", "Apply actions to a classic-control environment until it terminates or is truncated (Gymnasium's time limits included).")
        {
            env, state, seed, actions, json,
        };
        CommandAction.Set(cmd, (parse, stdout, _) =>
        {
            string id = parse.GetValue(env)!;
            if (!ClassicControlRegistry.Ids.Contains(id)) throw new ArgumentException($"--env: '{id}' is not one of {string.Join(", ", ClassicControlRegistry.Ids)}.");
            var e = ClassicControlRegistry.Make(id);
            var obs = new float[e.ObservationSpace.FlatSize];
            var ci = CultureInfo.InvariantCulture;
            if (parse.GetValue(state) is { } text)
            {
                var values = text.Split(',', StringSplitOptions.TrimEntries).Select((v, i) =>
                    double.TryParse(v, NumberStyles.Float, ci, out var x) ? x : throw new ArgumentException($"--state: value {i + 1} '{v}' is not a number.")).ToArray();
                try
                {
                    e.SetState(values, obs);
                }
                catch (ArgumentException x)
                {
                    throw new ArgumentException($"--state: {x.Message.Split(" (Parameter")[0]}", x);
                }
            }
            else
            {
                e.Reset(parse.GetValue(seed), obs);
            }

            var steps = ParseActions(parse.GetValue(actions)!, e.ActionSpace);
            var rows = new List<object>();
            bool asJson = parse.GetValue(json);
            if (!asJson) stdout.WriteLine($"{id}: start observation [{string.Join(", ", obs.Select(v => v.ToString("R", ci)))}]");
            for (int i = 0; i < steps.Length; i++)
            {
                var r = e.Step(steps[i], obs);
                if (asJson) rows.Add(new { observation = obs.Select(v => (double)v).ToArray(), reward = r.Reward, terminated = r.Terminated, truncated = r.Truncated });
                else stdout.WriteLine(string.Create(ci, $"step {i + 1,4}  obs [{string.Join(", ", obs.Select(v => v.ToString("R", ci)))}]  reward {r.Reward:R}{(r.Terminated ? "  terminated" : "")}{(r.Truncated ? "  truncated" : "")}"));
                if (r.Done) break;
            }

            if (asJson) stdout.WriteLine(JsonSerializer.Serialize(new { env = id, steps = rows }, ArtifactJson.Compact));
            return 0;
        });
        return cmd;
    }

    private static float[][] ParseActions(string text, Space space)
    {
        var steps = text.Split(';', StringSplitOptions.TrimEntries);
        var result = new float[steps.Length][];
        for (int i = 0; i < steps.Length; i++)
        {
            var parts = steps[i].Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length != space.FlatSize) throw new ArgumentException($"--actions: step {i + 1} '{steps[i]}' has {parts.Length} value(s); {space} takes {space.FlatSize}.");
            result[i] = new float[parts.Length];
            for (int j = 0; j < parts.Length; j++)
            {
                if (!float.TryParse(parts[j], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !float.IsFinite(v))
                {
                    throw new ArgumentException($"--actions: step {i + 1} value '{parts[j]}' is not a finite number.");
                }

                if (space is DiscreteSpace d && (v != MathF.Round(v) || v < d.Start || v >= d.Start + d.N))
                {
                    throw new ArgumentException($"--actions: step {i + 1} action '{parts[j]}' is not one of {d.Start}..{d.Start + d.N - 1}.");
                }

                result[i][j] = v;
            }
        }

        return result;
    }
}
