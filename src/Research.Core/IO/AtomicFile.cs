using System.Text;

namespace Research.Core.IO;

/// <summary>Writes files so that readers see the old content or the new, never half of either: temp file, then move.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="content"/> as UTF-8 without BOM.</summary>
    public static void WriteAllText(string path, string content) =>
        Write(path, s =>
        {
            var bytes = new UTF8Encoding(false).GetBytes(content);
            s.Write(bytes, 0, bytes.Length);
        });

    /// <summary>Writes with <paramref name="write"/> into a temp file beside <paramref name="path"/>, then moves it over.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string tmp = $"{full}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var s = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(s);
                s.Flush(flushToDisk: true);
            }

            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }
}
