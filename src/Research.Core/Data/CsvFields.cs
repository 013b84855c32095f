namespace Research.Core.Data;

/// <summary>Splits one CSV line into fields (RFC 4180 quoting: <c>"a,b"</c> and doubled quotes).</summary>
internal static class CsvFields
{
    /// <summary>Splits <paramref name="line"/>; throws <see cref="DataFormatException"/> on an unterminated quote.</summary>
    public static List<string> Split(string line, char delimiter, string source, int lineNumber)
    {
        var fields = new List<string>();
        Split(line, delimiter, source, lineNumber, fields);
        return fields;
    }

    /// <summary>Splits into <paramref name="fields"/> (cleared first).</summary>
    public static void Split(string line, char delimiter, string source, int lineNumber, List<string> fields)
    {
        fields.Clear();
        if (!line.Contains('"'))
        {
            int start = 0;
            while (true)
            {
                int next = line.IndexOf(delimiter, start);
                if (next < 0)
                {
                    fields.Add(line[start..]);
                    return;
                }

                fields.Add(line[start..next]);
                start = next + 1;
            }
        }

        var sb = new System.Text.StringBuilder();
        int i = 0;
        while (true)
        {
            sb.Clear();
            if (i < line.Length && line[i] == '"')
            {
                int open = i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        throw new DataFormatException(source, lineNumber, fields.Count + 1,
                            $"the quote opened at character {open + 1} is never closed.");
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            sb.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    sb.Append(line[i++]);
                }

                if (i < line.Length && line[i] != delimiter)
                {
                    throw new DataFormatException(source, lineNumber, fields.Count + 1,
                        $"unexpected character '{line[i]}' after a closing quote.");
                }
            }
            else
            {
                while (i < line.Length && line[i] != delimiter) sb.Append(line[i++]);
            }

            fields.Add(sb.ToString());
            if (i >= line.Length) return;
            i++; // skip the delimiter
        }
    }
}
