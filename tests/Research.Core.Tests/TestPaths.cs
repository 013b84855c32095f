namespace Research.Core.Tests;

/// <summary>Locations in the repository and scratch folders for tests.</summary>
internal static class TestPaths
{
    /// <summary>The repository root (the folder holding Research.sln).</summary>
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>The embedded DJIA folder.</summary>
    public static string Djia => Path.Combine(RepoRoot, "data", "djia");

    /// <summary>The embedded index folder.</summary>
    public static string Indices => Path.Combine(RepoRoot, "data", "indices");

    /// <summary>A new empty folder under the system temp folder.</summary>
    public static string NewTempDir(string prefix = "research-test")
    {
        string dir = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Research.sln"))) return d.FullName;
        }

        throw new InvalidOperationException("Research.sln not found above " + AppContext.BaseDirectory);
    }
}
