using System.Text.Json;
using Research.Core.Agents;
using Research.Core.Agents.Normalization;
using Research.Core.Configuration;
using Research.Core.IO;

namespace Research.Core.Tests.IO;

public class ArtifactJsonTests
{
    private sealed record Sample(string Name, double Sharpe, double Sortino, double Calmar, double[] Values);

    private static readonly Sample NonFinite = new("s", double.PositiveInfinity, double.NegativeInfinity, double.NaN, [1.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity]);

    private static void AssertSame(Sample expected, Sample? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Sharpe, actual.Sharpe);
        Assert.Equal(expected.Sortino, actual.Sortino);
        Assert.Equal(expected.Calmar, actual.Calmar); // xunit's double equality treats NaN as equal to NaN
        Assert.Equal(expected.Values, actual.Values);
    }

    [Fact]
    public void Serializer_options_write_named_literals_and_read_them_back()
    {
        foreach (var options in new[] { ArtifactJson.Options, ArtifactJson.Compact, ConfigJson.Options })
        {
            string json = JsonSerializer.Serialize(NonFinite, options);
            Assert.Contains("\"Infinity\"", json);
            Assert.Contains("\"-Infinity\"", json);
            Assert.Contains("\"NaN\"", json);
            Assert.DoesNotContain("null", json);
            AssertSame(NonFinite, JsonSerializer.Deserialize<Sample>(json, options));
        }

        Assert.Contains('\n', ArtifactJson.Serialize(NonFinite));
        Assert.DoesNotContain('\n', JsonSerializer.Serialize(NonFinite, ArtifactJson.Compact));
    }

    [Fact]
    public void Hand_written_json_uses_the_same_literals()
    {
        string json = ArtifactJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("Name", "s");
            w.WriteDouble("Sharpe", double.PositiveInfinity);
            w.WriteDouble("Sortino", double.NegativeInfinity);
            w.WriteDouble("Calmar", double.NaN);
            w.WriteStartArray("Values");
            foreach (double v in NonFinite.Values) w.WriteDoubleValue(v);
            w.WriteEndArray();
            w.WriteEndObject();
        });
        Assert.Contains("\"Sharpe\": \"Infinity\"", json);
        Assert.Contains("\"Calmar\": \"NaN\"", json);
        AssertSame(NonFinite, JsonSerializer.Deserialize<Sample>(json, ArtifactJson.Options));
        // The serializer and the writer agree byte for byte.
        Assert.Equal(ArtifactJson.Serialize(NonFinite), json);

        using var doc = JsonDocument.Parse(json);
        Assert.Equal(double.PositiveInfinity, ArtifactJson.GetDouble(doc.RootElement.GetProperty("Sharpe")));
        Assert.Equal(double.NegativeInfinity, ArtifactJson.GetDouble(doc.RootElement.GetProperty("Sortino")));
        Assert.True(double.IsNaN(ArtifactJson.GetDouble(doc.RootElement.GetProperty("Calmar"))));
        Assert.Equal(1.5, ArtifactJson.GetDouble(doc.RootElement.GetProperty("Values")[0]));
        Assert.Throws<FormatException>(() => ArtifactJson.GetDouble(doc.RootElement.GetProperty("Name")));
    }

    [Fact]
    public void Derived_options_keep_the_literals_and_are_read_only()
    {
        var snake = ArtifactJson.Derive(o => o.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        string json = JsonSerializer.Serialize(new { SortinoRatio = double.PositiveInfinity }, snake);
        Assert.Contains("\"sortino_ratio\": \"Infinity\"", json);
        Assert.True(snake.IsReadOnly);
        Assert.Throws<InvalidOperationException>(() => ArtifactJson.Options.WriteIndented = false);
    }

    [Fact]
    public void A_saved_normalizer_with_non_finite_statistics_round_trips()
    {
        string path = Path.Combine(TestPaths.NewTempDir(), "vecnormalize.json");
        var n = new VecNormalizer(new NormalizationConfig(), 2, 1, 0.99);
        n.Restore(new NormalizerState([1.0, double.PositiveInfinity], [double.NaN, 2.0], 3, double.NegativeInfinity, 4));
        n.Save(path);
        string text = File.ReadAllText(path);
        Assert.Contains("\"Infinity\"", text);
        Assert.Contains("\"-Infinity\"", text);
        Assert.Contains("\"NaN\"", text);
        var back = new VecNormalizer(new NormalizationConfig(), 2, 1, 0.99);
        back.Load(path);
        var state = back.State();
        Assert.Equal([1.0, double.PositiveInfinity], state.ObservationMean);
        Assert.True(double.IsNaN(state.ObservationVar[0]));
        Assert.Equal(double.NegativeInfinity, state.ReturnVar);
    }
}
