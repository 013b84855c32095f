using System.Security.Cryptography;
using System.Text;

namespace Research.Core.Data.Caching;

/// <summary>SHA-256 content hashes of input files, used as cache keys and logged with every run.</summary>
public static class ContentHash
{
    /// <summary>
    /// Hex SHA-256 over the contents of <paramref name="files"/> (in ordinal order of their file names, so the hash does
    /// not depend on where the folder is) and any extra <paramref name="salt"/> strings.
    /// </summary>
    public static string Of(IEnumerable<string> files, params string[] salt)
    {
        using var total = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        foreach (var f in files.OrderBy(Path.GetFileName, StringComparer.Ordinal).ThenBy(f => f, StringComparer.Ordinal))
        {
            total.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(f) + "\n"));
            using var s = File.OpenRead(f);
            int n;
            while ((n = s.Read(buffer, 0, buffer.Length)) > 0) total.AppendData(buffer, 0, n);
            total.AppendData("\n\0"u8);
        }

        foreach (var x in salt) total.AppendData(Encoding.UTF8.GetBytes(x + "\n"));
        return Convert.ToHexStringLower(total.GetHashAndReset());
    }
}
