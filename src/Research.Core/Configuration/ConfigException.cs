namespace Research.Core.Configuration;

/// <summary>A configuration value is invalid; the message names the setting by its JSON path.</summary>
public sealed class ConfigException : ArgumentException
{
    /// <summary>Creates the error for the setting at <paramref name="path"/> (e.g. <c>split.embargo</c>).</summary>
    public ConfigException(string path, string problem, Exception? inner = null)
        : base($"Configuration setting '{path}' {problem}", inner) => Path = path;

    /// <summary>The JSON path of the setting.</summary>
    public string Path { get; }
}
