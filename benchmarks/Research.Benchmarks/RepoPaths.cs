namespace Research.Benchmarks;

/// <summary>Finds the repository root (the folder holding Research.sln) from the working directory or the binary.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "Research.sln"))) return d.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmarks from inside the repository (Research.sln not found).");
    }
}
