using Research.Core.Configuration;
using Research.Core.Data;
using Research.Core.Data.Caching;
using Research.Core.Data.Quality;

namespace Research.Core.Tests.Data;

public class PanelCacheTests
{
    private static (string Dir, DataConfig Config, string Cache) Setup()
    {
        string dir = TestPaths.NewTempDir();
        string src = Path.Combine(dir, "in");
        Directory.CreateDirectory(src);
        foreach (var t in new[] { "AAPL", "DIS", "MRK" }) File.Copy(Path.Combine(TestPaths.Djia, t + ".csv"), Path.Combine(src, t + ".csv"));
        return (dir, new DataConfig { Paths = [src], Benchmark = null }, Path.Combine(dir, "cache"));
    }

    [Fact]
    public void Miss_then_hit_returns_the_same_panel_and_report()
    {
        var (_, config, cache) = Setup();
        var first = MarketDataLoader.Load(config, cache);
        var second = MarketDataLoader.Load(config, cache);
        Assert.Equal("miss", first.CacheOutcome);
        Assert.Equal("hit", second.CacheOutcome);
        Assert.Equal(PanelCache.Checksum(first.Panel), PanelCache.Checksum(second.Panel));
        Assert.Equal(first.Quality.Text, second.Quality.Text);
        Assert.Equal(first.DataHash, second.DataHash);
        Assert.Equal(first.Panel.Calendar.ToArray(), second.Panel.Calendar.ToArray());
    }

    [Fact]
    public void Changed_input_or_policy_is_a_new_key()
    {
        var (dir, config, cache) = Setup();
        var first = MarketDataLoader.Load(config, cache);
        var strict = MarketDataLoader.Load(config with { Policy = QualityPolicy.Drop }, cache);
        Assert.NotEqual(first.DataHash, strict.DataHash);
        Assert.Equal("miss", strict.CacheOutcome);
        File.AppendAllText(Path.Combine(dir, "in", "MRK.csv"), "2018-01-02,55,56,54,55.5,1000,MRK\n");
        var changed = MarketDataLoader.Load(config, cache);
        Assert.Equal("miss", changed.CacheOutcome);
        Assert.Equal(new DateOnly(2018, 1, 2), changed.Panel.Calendar.Last);
    }

    [Fact]
    public void Corrupt_entry_is_detected_and_rebuilt()
    {
        var (_, config, cache) = Setup();
        var first = MarketDataLoader.Load(config, cache);
        string file = new PanelCache(cache).PathFor(first.DataHash);
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..(bytes.Length / 2)]); // truncated, as by a crash or a full disk
        var second = MarketDataLoader.Load(config, cache);
        Assert.StartsWith("rebuilt", second.CacheOutcome);
        Assert.Equal(PanelCache.Checksum(first.Panel), PanelCache.Checksum(second.Panel));
        Assert.Equal("hit", MarketDataLoader.Load(config, cache).CacheOutcome);
    }

    [Fact]
    public void Entry_under_the_wrong_key_or_with_flipped_values_is_rejected()
    {
        var (_, config, cache) = Setup();
        var first = MarketDataLoader.Load(config, cache);
        string file = new PanelCache(cache).PathFor(first.DataHash);
        File.Copy(file, new PanelCache(cache).PathFor("other"));
        var stale = Assert.Throws<InvalidDataException>(() => PanelCache.Read(new PanelCache(cache).PathFor("other"), "other"));
        Assert.Contains("stale", stale.Message);

        // Same key, different values (e.g. an entry written by a buggy build): the checksum catches it.
        var p = first.Panel;
        var close = p.Column(PriceField.Close).ToArray();
        close[5] += 1;
        var tampered = new MarketPanel(p.Calendar, [.. p.Tickers], p.Column(PriceField.Open).ToArray(), p.Column(PriceField.High).ToArray(),
            p.Column(PriceField.Low).ToArray(), close, p.Column(PriceField.Volume).ToArray());
        PanelCache.Write(file, first.DataHash, tampered, "{}");
        Assert.Equal(PanelCache.Checksum(tampered), PanelCache.Checksum(PanelCache.Read(file, first.DataHash).Panel));
        Assert.Empty(Directory.GetFiles(cache, "*.tmp"));
    }
}
