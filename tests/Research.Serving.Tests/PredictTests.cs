using System.Net;
using System.Text.Json;
using Research.Core.Backtesting.Strategies;
using Research.Core.Data;
using Research.Core.Models;
using Research.Core.Risk;

namespace Research.Serving.Tests;

/// <summary><c>POST /v1/predict</c>: the same numbers as the forecaster in process, min_bars, sizing and risk verdicts.</summary>
[Collection(ServingCollection.Name)]
public class PredictTests(ServingFixture fixture)
{
    [Fact]
    public async Task Prediction_over_http_equals_forecast_signals_in_process_on_the_same_bars()
    {
        await using var serving = await TestServing.Start(fixture.PlainModel);
        var response = await serving.Post("/v1/predict", TestServing.Body(fixture.Panel, 100, 220).ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await TestServing.Json(response);

        var panel = fixture.Panel.SliceDates(100, 220);
        using var forecaster = Forecaster.Load(fixture.PlainModel);
        var signals = ForecastSignals.Compute(forecaster, panel);
        int n = panel.DateCount;
        var predictions = json.GetProperty("predictions");
        Assert.Equal(["S0", "S1", "S2"], predictions.EnumerateObject().Select(p => p.Name));
        for (int k = 0; k < panel.TickerCount; k++)
        {
            var p = predictions.GetProperty(panel.Tickers[k]);
            int at = k * n + n - 1;
            Assert.True(double.IsFinite(signals.ExpectedReturn[at]));
            Assert.Equal(signals.ExpectedReturn[at], p.GetProperty("expected_return").GetDouble());
            Assert.Equal(signals.ProbabilityUp[at], p.GetProperty("probability_up").GetDouble());
            Assert.Equal(signals.Confidence[at], p.GetProperty("confidence").GetDouble());
            Assert.Contains(p.GetProperty("signal").GetString(), new[] { "long", "flat" });
        }

        var model = await TestServing.Json(await serving.Client.GetAsync("/v1/model"));
        Assert.Equal(model.GetRawText(), json.GetProperty("model").GetRawText());
    }

    [Fact]
    public async Task Min_bars_bars_give_a_prediction_and_one_fewer_gives_422()
    {
        await using var serving = await TestServing.Start(fixture.PlainModel);
        int minBars = (await TestServing.Json(await serving.Client.GetAsync("/v1/model"))).GetProperty("min_bars").GetInt32();
        const int end = 200;

        var enough = await serving.Post("/v1/predict", TestServing.Body(fixture.Panel, end - minBars, end).ToJsonString());
        Assert.Equal(HttpStatusCode.OK, enough.StatusCode);
        foreach (var p in (await TestServing.Json(enough)).GetProperty("predictions").EnumerateObject())
            Assert.True(double.IsFinite(p.Value.GetProperty("expected_return").GetDouble()));

        var fewer = await serving.Post("/v1/predict", TestServing.Body(fixture.Panel, end - minBars + 1, end).ToJsonString());
        await Problems.Assert(fewer, HttpStatusCode.UnprocessableEntity, "bars.S0");

        // The bound is tight, not just the server's rule: in process, min_bars − 1 bars leave the last window incomplete.
        using var forecaster = Forecaster.Load(fixture.PlainModel);
        var full = ForecastSignals.Compute(forecaster, fixture.Panel.SliceDates(end - minBars, end));
        var short_ = ForecastSignals.Compute(forecaster, fixture.Panel.SliceDates(end - minBars + 1, end));
        for (int k = 0; k < 3; k++)
        {
            Assert.True(double.IsFinite(full.ExpectedReturn[k * minBars + minBars - 1]));
            Assert.True(double.IsNaN(short_.ExpectedReturn[k * (minBars - 1) + minBars - 2]));
        }
    }

    [Fact]
    public async Task Default_policy_sizes_by_kelly_as_the_backtest_and_approves_weights_under_the_limits()
    {
        await using var serving = await TestServing.Start(fixture.PlainModel);
        Assert.Equal("defaults", serving.Host.Predictor!.Model.Policy.Source);
        var panel = fixture.Panel.SliceDates(150, 250);
        var json = await TestServing.Json(await serving.Post("/v1/predict", TestServing.Body(fixture.Panel, 150, 250).ToJsonString()));
        var kelly = new RiskManager(new RiskLimits());
        for (int k = 0; k < 3; k++)
        {
            var p = json.GetProperty("predictions").GetProperty(panel.Tickers[k]);
            var r = json.GetProperty("risk").GetProperty(panel.Tickers[k]);
            double er = p.GetProperty("expected_return").GetDouble();
            double expected = er > 0 ? Math.Max(0, kelly.KellyWeight(er, ModelDriven.ReturnVariance(panel.Series(PriceField.Close, k)))) : 0;
            Assert.Equal(expected, r.GetProperty("target_weight").GetDouble());
            Assert.Equal(expected > 0 ? "long" : "flat", p.GetProperty("signal").GetString());
            // Kelly weights are capped at 10 %, under the default 25 % position limit: approved as they are.
            Assert.Equal(expected, r.GetProperty("approved_weight").GetDouble());
            Assert.Empty(r.GetProperty("reasons").EnumerateArray());
        }
    }

    [Fact]
    public async Task Logged_config_sizes_top_one_and_the_position_limit_cuts_it_with_its_rule_named()
    {
        using var forecaster = Forecaster.Load(fixture.RunModel);
        // 100 bars ending on a date on which some ticker has a positive forecast, so top-1 sizing buys it.
        int end = Enumerable.Range(120, fixture.Panel.DateCount - 120).First(t =>
        {
            var slice = fixture.Panel.SliceDates(t - 100, t);
            var last = ForecastSignals.Compute(forecaster, slice, 99);
            return Enumerable.Range(0, 3).Any(k => last.ExpectedReturn[k * 100 + 99] > 0);
        });

        await using var serving = await TestServing.Start(fixture.RunModel);
        Assert.StartsWith("logged config", serving.Host.Predictor!.Model.Policy.Source);
        var json = await TestServing.Json(await serving.Post("/v1/predict", TestServing.Body(fixture.Panel, end - 100, end).ToJsonString()));
        var predictions = json.GetProperty("predictions").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("expected_return").GetDouble());
        string top = predictions.Where(p => p.Value > 0).MaxBy(p => p.Value).Key;
        foreach (var (ticker, _) in predictions)
        {
            var risk = json.GetProperty("risk").GetProperty(ticker);
            var signal = json.GetProperty("predictions").GetProperty(ticker).GetProperty("signal").GetString();
            if (ticker == top)
            {
                Assert.Equal("long", signal);
                Assert.Equal(1.0, risk.GetProperty("target_weight").GetDouble());
                Assert.InRange(risk.GetProperty("approved_weight").GetDouble(), 0.04, ServingFixture.LoggedBacktest.MaxPositionPct);
                Assert.Equal(["max-position"], risk.GetProperty("reasons").EnumerateArray().Select(e => e.GetString()));
            }
            else
            {
                Assert.Equal("flat", signal);
                Assert.Equal(0.0, risk.GetProperty("target_weight").GetDouble());
                Assert.Equal(0.0, risk.GetProperty("approved_weight").GetDouble());
                Assert.Empty(risk.GetProperty("reasons").EnumerateArray());
            }
        }
    }

    [Fact]
    public void A_risk_file_overrides_the_logged_limits_and_keeps_the_logged_sizing()
    {
        string file = Path.Combine(fixture.Root, "risk.json");
        File.WriteAllText(file, """{ "maxPositionPct": 0.02, "maxAdvParticipation": 0.05 }""");
        using var model = ServedModel.Load(fixture.RunModel, file);
        Assert.StartsWith("risk file", model.Policy.Source);
        Assert.Equal(0.02, model.Policy.Limits!.MaxPositionPct);
        Assert.Equal(0.05, model.Policy.Limits.MaxAdvParticipation);
        Assert.Equal(SignalSizing.TopK, model.Policy.Sizing);
        Assert.Equal(1, model.Policy.TopK);
    }

    [Fact]
    public async Task Tickers_with_different_histories_predict_when_they_end_on_the_same_date()
    {
        await using var serving = await TestServing.Start(fixture.PlainModel);
        var body = TestServing.Body(fixture.Panel, 100, 200, ["S0"]);
        var s1 = TestServing.Body(fixture.Panel, 150, 200, ["S1"])["bars"]!["S1"]!.DeepClone();
        body["bars"]!["S1"] = s1;
        var response = await serving.Post("/v1/predict", body.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await TestServing.Json(response);
        Assert.Equal(["S0", "S1"], json.GetProperty("predictions").EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Number, json.GetProperty("predictions").GetProperty("S1").GetProperty("probability_up").ValueKind);
    }
}
