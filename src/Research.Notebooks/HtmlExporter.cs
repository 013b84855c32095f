using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Markdig;

namespace Research.Notebooks;

/// <summary>
/// A self-contained HTML page of an executed notebook: markdown rendered (Markdig), code cells with their execution
/// counts, and outputs (HTML as is — so DataFrame tables and Plotly charts, whose plotly.js is inlined in the first
/// chart — images inline, text preformatted, errors highlighted). Opens offline.
/// </summary>
public static class HtmlExporter
{
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    private const string Style = """
        body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #1f2328; }
        .cell { margin: 0.8em 0; }
        .code { display: flex; gap: 0.6em; }
        .prompt { color: #57606a; font-family: monospace; min-width: 4.5em; text-align: right; padding-top: 0.5em; font-size: 0.85em; }
        .body { flex: 1; min-width: 0; }
        pre { margin: 0; padding: 0.5em 0.7em; overflow-x: auto; font-size: 0.85em; line-height: 1.4; }
        pre.source { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; }
        pre.stream, pre.text { background: #fff; }
        pre.stderr { background: #fff5f5; }
        pre.error { background: #ffebe9; color: #82071e; border-left: 3px solid #cf222e; }
        .output { margin-top: 0.3em; overflow-x: auto; }
        table.dataframe { border-collapse: collapse; font-size: 0.8em; font-variant-numeric: tabular-nums; }
        table.dataframe th, table.dataframe td { border: 1px solid #d0d7de; padding: 0.2em 0.5em; text-align: right; }
        table.dataframe thead th { background: #f6f8fa; }
        td.null { background: #fafafa; }
        .dataframe-note { color: #57606a; font-size: 0.8em; margin: 0.2em 0; }
        .markdown table { border-collapse: collapse; } .markdown th, .markdown td { border: 1px solid #d0d7de; padding: 0.2em 0.5em; }
        .markdown code { background: #f6f8fa; padding: 0.1em 0.3em; border-radius: 4px; }
        """;

    /// <summary>The page for <paramref name="notebook"/>, titled <paramref name="title"/>.</summary>
    public static string Export(NotebookDocument notebook, string title)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
            .Append(WebUtility.HtmlEncode(title)).Append("</title>\n<style>\n").Append(Style).Append("\n</style>\n</head>\n<body>\n");
        foreach (var cell in notebook.Cells.OfType<JsonObject>())
        {
            string type = (string?)cell["cell_type"] ?? "";
            string source = NotebookDocument.SourceOf(cell);
            if (type == "markdown")
            {
                sb.Append("<div class=\"cell markdown\">").Append(Markdig.Markdown.ToHtml(source, Markdown)).Append("</div>\n");
                continue;
            }

            if (type != "code")
            {
                sb.Append("<div class=\"cell raw\"><pre class=\"text\">").Append(WebUtility.HtmlEncode(source)).Append("</pre></div>\n");
                continue;
            }

            var count = cell["execution_count"];
            string prompt = count is null ? "[ ]" : $"[{count}]";
            sb.Append("<div class=\"cell code\"><div class=\"prompt\">In ").Append(prompt).Append("</div><div class=\"body\">")
                .Append("<pre class=\"source\"><code class=\"language-csharp\">").Append(WebUtility.HtmlEncode(source)).Append("</code></pre>");
            foreach (var output in (cell["outputs"] as JsonArray ?? []).OfType<JsonObject>()) AppendOutput(sb, output);
            sb.Append("</div></div>\n");
        }

        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    private static void AppendOutput(StringBuilder sb, JsonObject output)
    {
        sb.Append("<div class=\"output\">");
        switch ((string?)output["output_type"])
        {
            case "stream":
                string name = (string?)output["name"] ?? "stdout";
                sb.Append("<pre class=\"stream ").Append(name).Append("\">").Append(WebUtility.HtmlEncode(Text(output["text"]))).Append("</pre>");
                break;
            case "error":
                var traceback = output["traceback"] as JsonArray ?? [];
                string text = traceback.Count > 0 ? string.Join("\n", traceback.Select(t => (string?)t)) : $"{output["ename"]}: {output["evalue"]}";
                sb.Append("<pre class=\"error\">").Append(WebUtility.HtmlEncode(StripAnsi(text))).Append("</pre>");
                break;
            default:
                var data = output["data"] as JsonObject ?? [];
                if (data["text/html"] is { } html) sb.Append(Text(html));
                else if (data["image/svg+xml"] is { } svg) sb.Append(Text(svg));
                else if (data["image/png"] is { } png) sb.Append("<img src=\"data:image/png;base64,").Append(Text(png).Trim()).Append("\">");
                else if (data["text/markdown"] is { } md) sb.Append(Markdig.Markdown.ToHtml(Text(md), Markdown));
                else if (data["text/plain"] is { } plain) sb.Append("<pre class=\"text\">").Append(WebUtility.HtmlEncode(Text(plain))).Append("</pre>");
                break;
        }

        sb.Append("</div>");
    }

    private static string Text(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        JsonValue v => v.GetValue<string>(),
        _ => "",
    };

    private static string StripAnsi(string text) => System.Text.RegularExpressions.Regex.Replace(text, "\u001b\\[[0-9;]*m", "");
}
