using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Research.Core.Agents.Algorithms;
using Research.Core.Environments;
using Research.Core.IO;
using Research.Core.Models;
using Research.Core.Tracking;
using TorchSharp;
using YamlDotNet.RepresentationModel;

namespace Research.Core.Agents;

/// <summary>A space as <c>config.json</c> stores it.</summary>
/// <param name="Kind">"Discrete" or "Box".</param>
/// <param name="N">Discrete: number of actions.</param>
/// <param name="Start">Discrete: first action.</param>
/// <param name="Low">Box: lower bounds.</param>
/// <param name="High">Box: upper bounds.</param>
/// <param name="Shape">Box: dimensions.</param>
public sealed record SpaceSpec(string Kind, int N = 0, int Start = 0, float[]? Low = null, float[]? High = null, int[]? Shape = null)
{
    /// <summary>The stored form of <paramref name="space"/>.</summary>
    public static SpaceSpec From(Space space) => space switch
    {
        DiscreteSpace d => new SpaceSpec("Discrete", d.N, d.Start),
        BoxSpace b => new SpaceSpec("Box", Low: b.Low, High: b.High, Shape: b.Shape),
        _ => throw new ArgumentException($"Cannot store a {space.GetType().Name}.", nameof(space)),
    };

    /// <summary>The space back.</summary>
    public Space ToSpace() => Kind switch
    {
        "Discrete" => new DiscreteSpace(N, Start),
        "Box" => new BoxSpace(Low ?? throw Missing("Low"), High ?? throw Missing("High"), Shape ?? throw Missing("Shape")),
        _ => throw new InvalidDataException($"Unknown space kind '{Kind}' (expected Discrete or Box)."),
    };

    private static InvalidDataException Missing(string field) => new($"A stored Box space has no {field}.");
}

/// <summary>What <c>config.json</c> holds: the algorithm, its hyperparameters, the spaces and the steps done.</summary>
/// <param name="Algorithm">"PPO", "A2C", "DQN", "SAC", "TD3" or "DDPG".</param>
/// <param name="Format">File format version (1).</param>
/// <param name="Config">Hyperparameters (with a "$type" discriminator).</param>
/// <param name="ObservationSpace">One environment's observation space.</param>
/// <param name="ActionSpace">One environment's action space.</param>
/// <param name="StepsDone">Environment steps trained.</param>
public sealed record AgentManifest(string Algorithm, int Format, AgentConfig Config, SpaceSpec ObservationSpace, SpaceSpec ActionSpace, long StepsDone);

/// <summary>
/// Saving and loading agents. A saved agent is a folder and an MLflow model: <c>config.json</c> (an
/// <see cref="AgentManifest"/>), one TorchSharp weights file per network, <c>normalization.json</c> when the agent
/// normalises, and <c>MLmodel</c> (written last) with the <see cref="Forecaster.Flavor"/> flavor and
/// <c>model_type: rl_agent</c>, so a run's <c>model</c> artifact loads from <c>runs:/&lt;run-id&gt;/model</c>.
/// </summary>
public static class AgentStore
{
    /// <summary>The manifest's file name.</summary>
    public const string ManifestFile = "config.json";

    /// <summary>The normalisation statistics' file name.</summary>
    public const string NormalizationFile = "normalization.json";

    /// <summary>The MLflow model file's name.</summary>
    public const string ModelFile = "MLmodel";

    /// <summary>The <c>model_type</c> of a saved agent in the <see cref="Forecaster.Flavor"/> flavor.</summary>
    public const string ModelType = "rl_agent";

    /// <summary>The MLflow version the <c>MLmodel</c> file declares (the forecaster's).</summary>
    public const string MlflowVersion = "2.12.2";

    /// <summary>JSON settings of the manifest (indented, enums as names, ±∞ allowed).</summary>
    public static JsonSerializerOptions Json { get; } = ArtifactJson.Derive(o => o.Converters.Add(new JsonStringEnumConverter()));

    /// <summary>
    /// Loads any saved agent (dispatching on the manifest's algorithm) from a folder, a run folder holding
    /// <c>model/</c>, or <c>runs:/&lt;run-id&gt;/model</c> in <paramref name="store"/> (default: the local store of
    /// MLFLOW_TRACKING_URI, else <c>./mlruns</c>); see <see cref="ModelUri.Resolve"/>. Without <paramref name="makeEnv"/>
    /// it can <see cref="IAgent.Predict"/> and <see cref="IAgent.Save"/> but not <see cref="IAgent.Learn"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The folder is another kind of model (e.g. a forecaster) or its files disagree.</exception>
    /// <exception cref="FileNotFoundException">The folder has no <c>config.json</c>.</exception>
    public static IAgent Load(string uriOrFolder, Func<int, IEnv>? makeEnv = null, FileStore? store = null)
    {
        string folder = ModelUri.Resolve(uriOrFolder, store);
        var manifest = ReadManifest(folder);
        return manifest.Algorithm switch
        {
            Ppo.Name => Ppo.Load(folder, makeEnv),
            A2c.Name => A2c.Load(folder, makeEnv),
            Dqn.Name => Dqn.Load(folder, makeEnv),
            Sac.Name => Sac.Load(folder, makeEnv),
            Td3.Name => Td3.Load(folder, makeEnv),
            Ddpg.Name => Ddpg.Load(folder, makeEnv),
            _ => throw new InvalidDataException($"{Path.Combine(folder, ManifestFile)}: unknown algorithm '{manifest.Algorithm}'."),
        };
    }

    /// <summary>
    /// Reads a saved agent's manifest, first checking the folder's <c>MLmodel</c> (when there is one: folders saved
    /// before agents wrote it have none) is an <c>rl_agent</c> of the same algorithm.
    /// </summary>
    public static AgentManifest ReadManifest(string folder)
    {
        string? modelAlgorithm = CheckModelFile(folder);
        string path = Path.Combine(folder, ManifestFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"No saved agent in {folder}: {ManifestFile} is missing.", path);
        var manifest = JsonSerializer.Deserialize<AgentManifest>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path} is empty.");
        if (modelAlgorithm is not null && modelAlgorithm != manifest.Algorithm)
            throw new InvalidDataException($"{folder}: {ModelFile} says {modelAlgorithm} but {ManifestFile} holds a {manifest.Algorithm} agent.");
        return manifest;
    }

    /// <summary>Writes a manifest (creating the folder), atomically.</summary>
    public static void WriteManifest(string folder, AgentManifest manifest)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, ManifestFile), JsonSerializer.Serialize(manifest, Json));
    }

    /// <summary>
    /// Writes <paramref name="agent"/>'s <c>MLmodel</c> into <paramref name="folder"/>, atomically, in the forecaster's
    /// format: the <see cref="Forecaster.Flavor"/> flavor with <c>model_type: rl_agent</c>, the algorithm, the spaces'
    /// kinds and flat sizes, the steps done and the TorchSharp version; MLflow's version, the run id when given, the time.
    /// </summary>
    internal static void WriteModelFile(string folder, IAgent agent, string? runId)
    {
        CheckRunId(runId);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder()
            .Append("artifact_path: model\n")
            .Append("flavors:\n")
            .Append(inv, $"  {Forecaster.Flavor}:\n")
            .Append(inv, $"    model_type: {ModelType}\n")
            .Append(inv, $"    algorithm: {agent.Algorithm}\n")
            .Append(inv, $"    config: {ManifestFile}\n");
        if (agent.Config.Normalize is not null) sb.Append(inv, $"    normalization: {NormalizationFile}\n");
        sb.Append(inv, $"    torchsharp_version: {TorchSharpVersion}\n")
            .Append(inv, $"    observation_space: {SpaceSpec.From(agent.ObservationSpace).Kind}\n")
            .Append(inv, $"    observation_size: {agent.ObservationSpace.FlatSize}\n")
            .Append(inv, $"    action_space: {SpaceSpec.From(agent.ActionSpace).Kind}\n")
            .Append(inv, $"    action_size: {agent.ActionSpace.FlatSize}\n")
            .Append(inv, $"    steps_done: {agent.StepsDone}\n")
            .Append(inv, $"mlflow_version: {MlflowVersion}\n");
        if (runId is not null) sb.Append(inv, $"run_id: '{runId}'\n");
        sb.Append(inv, $"utc_time_created: '{DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.ffffff", inv)}'\n");
        AtomicFile.WriteAllText(Path.Combine(folder, ModelFile), sb.ToString());
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="runId"/> is null or an MLflow run id (letters, digits, '_', '-').</summary>
    internal static void CheckRunId(string? runId)
    {
        if (runId is not null && (runId.Length == 0 || !runId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
            throw new ArgumentException($"'{runId}' is not an MLflow run id (letters, digits, '_' and '-').", nameof(runId));
    }

    /// <summary>Reads a manifest and checks it is <paramref name="algorithm"/>'s with a config of type <typeparamref name="TConfig"/>.</summary>
    internal static (AgentManifest Manifest, TConfig Config) ReadManifest<TConfig>(string folder, string algorithm) where TConfig : AgentConfig
    {
        var m = ReadManifest(folder);
        if (m.Algorithm != algorithm) throw new InvalidDataException($"{folder} holds a {m.Algorithm} agent, not {algorithm}.");
        if (m.Config is not TConfig config) throw new InvalidDataException($"{folder}: the config is a {m.Config.GetType().Name}, not a {typeof(TConfig).Name}.");
        return (m, config);
    }

    /// <summary>The TorchSharp version the weights were written with ("0.107.0").</summary>
    private static string TorchSharpVersion => typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    /// <summary>
    /// Checks <paramref name="folder"/>'s <c>MLmodel</c>, when it has one, is a workbench <c>rl_agent</c>; returns the
    /// algorithm it names (null without an <c>MLmodel</c>).
    /// </summary>
    private static string? CheckModelFile(string folder)
    {
        string path = Path.Combine(folder, ModelFile);
        if (!File.Exists(path)) return null;
        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(path, Encoding.UTF8);
            yaml.Load(reader);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new InvalidDataException($"{path}:{e.Start.Line}:{e.Start.Column}: malformed YAML: {e.Message}", e);
        }

        var root = yaml.Documents.Count > 0 ? yaml.Documents[0].RootNode as YamlMappingNode : null;
        var flavor = Child(Child(root, "flavors") as YamlMappingNode, Forecaster.Flavor) as YamlMappingNode
                     ?? throw new InvalidDataException($"{path}: no '{Forecaster.Flavor}' flavor; this is not a workbench model.");
        string? type = (Child(flavor, "model_type") as YamlScalarNode)?.Value;
        if (type != ModelType)
            throw new InvalidDataException($"{folder} is a {(string.IsNullOrEmpty(type) ? "workbench model of no model_type" : type)}, not an {ModelType}.");
        return (Child(flavor, "algorithm") as YamlScalarNode)?.Value;
    }

    private static YamlNode? Child(YamlMappingNode? map, string key) =>
        map is not null && map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;
}
