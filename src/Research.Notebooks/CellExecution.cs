using System.Text;
using System.Text.Json.Nodes;
using Research.Notebooks.Formatting;
using Research.Notebooks.Scripting;

namespace Research.Notebooks;

/// <summary>
/// The outputs of the cell that is running: stdout/stderr text and displayed values, in the order they happened,
/// as nbformat output objects. The running cell is found through an <see cref="AsyncLocal{T}"/>, so that two notebooks
/// running at once in one process (tests) never mix their outputs and code outside a cell is unaffected.
/// </summary>
internal sealed class CellExecution
{
    public static readonly AsyncLocal<CellExecution?> Current = new();

    private readonly Lock _gate = new();
    private readonly DisplayFormatter _formatter;
    private bool _closed;

    public CellExecution(DisplayFormatter formatter) => _formatter = formatter;

    /// <summary>The nbformat outputs so far.</summary>
    public JsonArray Outputs { get; } = [];

    /// <summary>Appends text to the stdout or stderr stream output (merging with the previous one of the same stream).</summary>
    public void Write(string stream, string text)
    {
        if (text.Length == 0) return;
        lock (_gate)
        {
            if (_closed) return;
            if (Outputs.Count > 0 && Outputs[^1] is JsonObject last && (string?)last["output_type"] == "stream" && (string?)last["name"] == stream)
            {
                last["text"] = (string?)last["text"] + text;
                return;
            }

            Outputs.Add(new JsonObject { ["output_type"] = "stream", ["name"] = stream, ["text"] = text });
        }
    }

    public DisplayedValue AddDisplay(object? value, string[] mimeTypes)
    {
        var output = new JsonObject
        {
            ["output_type"] = "display_data",
            ["data"] = _formatter.Format(value, mimeTypes),
            ["metadata"] = new JsonObject(),
        };
        lock (_gate)
        {
            if (_closed) return new DisplayedValue(null);
            Outputs.Add(output);
        }

        return new DisplayedValue(v =>
        {
            var data = _formatter.Format(v, mimeTypes);
            lock (_gate) output["data"] = data;
        });
    }

    public void AddExecuteResult(int executionCount, object? value)
    {
        var output = new JsonObject
        {
            ["output_type"] = "execute_result",
            ["execution_count"] = executionCount,
            ["data"] = _formatter.Format(value, []),
            ["metadata"] = new JsonObject(),
        };
        lock (_gate)
        {
            if (!_closed) Outputs.Add(output);
        }
    }

    public void AddError(string name, string value, IEnumerable<string> traceback)
    {
        var output = new JsonObject
        {
            ["output_type"] = "error",
            ["ename"] = name,
            ["evalue"] = value,
            ["traceback"] = new JsonArray(traceback.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()),
        };
        lock (_gate) Outputs.Add(output);
    }

    /// <summary>Stops accepting output (a cell abandoned after a timeout may still write).</summary>
    public void Close()
    {
        lock (_gate) _closed = true;
    }

    /// <summary>The outputs as nbformat wants multi-line strings: lists of lines.</summary>
    public JsonArray ToNbformat()
    {
        lock (_gate)
        {
            var result = new JsonArray();
            foreach (var node in Outputs)
            {
                var o = (JsonObject)node!.DeepClone();
                if (o["text"] is JsonValue text) o["text"] = NotebookDocument.SourceToJson(text.GetValue<string>());
                if (o["data"] is JsonObject data)
                {
                    foreach (var key in data.Select(kv => kv.Key).ToArray())
                    {
                        if (data[key] is JsonValue v && !key.EndsWith("json", StringComparison.Ordinal))
                        {
                            data[key] = NotebookDocument.SourceToJson(v.GetValue<string>());
                        }
                    }
                }

                result.Add(o);
            }

            return result;
        }
    }
}

/// <summary>
/// Console.Out / Console.Error replacement installed once per process: text written while a cell runs goes to that
/// cell's outputs, everything else to the original writer. Safe for parallel notebook runs.
/// </summary>
internal sealed class ConsoleRouter : TextWriter
{
    private static readonly Lock InstallGate = new();
    private static bool _installed;
    private readonly TextWriter _original;
    private readonly string _stream;

    private ConsoleRouter(TextWriter original, string stream)
    {
        _original = original;
        _stream = stream;
    }

    public override Encoding Encoding => Encoding.UTF8;

    public static void Install()
    {
        lock (InstallGate)
        {
            if (_installed) return;
            _installed = true;
            Console.SetOut(new ConsoleRouter(Console.Out, "stdout"));
            Console.SetError(new ConsoleRouter(Console.Error, "stderr"));
        }
    }

    public override void Write(char value) => Write(value.ToString());

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Write(string? value)
    {
        if (value is null) return;
        if (CellExecution.Current.Value is { } cell) cell.Write(_stream, value);
        else _original.Write(value);
    }

    public override void WriteLine(string? value) => Write((value ?? "") + CoreNewLineStr);

    public override void WriteLine() => Write(CoreNewLineStr);

    public override void Flush()
    {
        if (CellExecution.Current.Value is null) _original.Flush();
    }

    private string CoreNewLineStr => new(CoreNewLine);
}
