using Microsoft.Extensions.Configuration;

namespace Research.Cli;

/// <summary>
/// The CLI's .NET user secrets (<c>dotnet user-secrets set APCA_API_KEY_ID … --project src/Research.Cli</c>), read
/// for provider credentials; never printed or logged.
/// </summary>
internal static class UserSecrets
{
    /// <summary>The secrets as a flat dictionary (empty when none are set).</summary>
    public static IDictionary<string, string?> Load() =>
        new ConfigurationBuilder().AddUserSecrets(typeof(UserSecrets).Assembly, optional: true).Build()
            .AsEnumerable().ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase);
}
