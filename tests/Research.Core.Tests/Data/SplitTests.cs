using FsCheck;
using FsCheck.Xunit;
using Research.Core.Data;
using Research.Core.Data.Splits;

namespace Research.Core.Tests.Data;

public class SplitTests
{
    private static TradingCalendar Weekdays(int n)
    {
        var dates = new List<DateOnly>(n);
        for (var d = new DateOnly(2000, 1, 3); dates.Count < n; d = d.AddDays(1))
        {
            if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) dates.Add(d);
        }

        return new TradingCalendar([.. dates]);
    }

    [Fact]
    public void By_date_is_inclusive_and_embargoed()
    {
        var cal = Weekdays(30); // 2000-01-03 .. 2000-02-11
        var s = TrainValidationTest.ByDate(cal, new DateOnly(2000, 1, 14), new DateOnly(2000, 1, 28), embargo: 2);
        Assert.Equal(new DateSplit("train", 0, 10), s.Train);            // 01-03..01-14: 10 weekdays
        Assert.Equal(new DateSplit("validation", 12, 20), s.Validation); // 2 embargo days, then to 01-28
        Assert.Equal(new DateSplit("test", 22, 30), s.Test);
    }

    [Fact]
    public void By_fraction_and_errors()
    {
        var cal = Weekdays(100);
        var s = TrainValidationTest.ByFraction(cal, 0.6, 0.2, 0);
        Assert.Equal((60, 20, 20), (s.Train.Length, s.Validation.Length, s.Test.Length));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainValidationTest.ByFraction(cal, 1.2, 0, 0));
        Assert.Throws<ArgumentException>(() => TrainValidationTest.ByFraction(cal, 0.9, 0.09, 5)); // test left empty
    }

    [Property(MaxTest = 500)]
    public void No_date_lands_in_two_blocks(PositiveInt size, byte trainPct, byte valPct, byte embargo)
    {
        int n = 10 + size.Get % 3000;
        double train = 0.05 + trainPct / 255.0 * 0.7, validation = valPct / 255.0 * 0.2;
        TrainValidationTest s;
        try
        {
            s = TrainValidationTest.ByFraction(Weekdays(n), train, validation, embargo % 30);
        }
        catch (ArgumentException)
        {
            return; // the generator asked for an impossible split; rejection is the specified behaviour
        }

        var owner = new int[n];
        foreach (var (block, id) in s.Blocks.Select((b, i) => (b, i + 1)))
        {
            for (int t = block.Start; t < block.End; t++)
            {
                Assert.Equal(0, owner[t]);
                owner[t] = id;
            }
        }

        Assert.True(s.Train.End <= s.Validation.Start && s.Validation.End <= s.Test.Start);
        if (!s.Validation.IsEmpty) Assert.True(s.Validation.Start - s.Train.End >= s.Embargo);
        int lastBeforeTest = s.Validation.IsEmpty ? s.Train.End : s.Validation.End;
        Assert.True(s.Test.Start - lastBeforeTest >= s.Embargo);
    }

    [Property(MaxTest = 500)]
    public void Walk_forward_windows_never_leak(PositiveInt size, PositiveInt train, PositiveInt test, byte embargo, byte val, bool expanding)
    {
        int n = 50 + size.Get % 3000, tr = 20 + train.Get % 800, te = 1 + test.Get % 300, em = embargo % 20;
        int v = val % 3 == 0 ? 0 : val % Math.Max(1, tr - em - 1);
        IReadOnlyList<WalkForwardWindow> windows;
        try
        {
            windows = WalkForward.Windows(n, expanding ? WindowMode.Expanding : WindowMode.Rolling, tr, te, em, v);
        }
        catch (ArgumentException)
        {
            return;
        }

        int lastTestEnd = -1;
        foreach (var w in windows)
        {
            Assert.True(w.Train.Start >= 0 && !w.Train.IsEmpty);
            Assert.True(w.Train.End <= w.Validation.Start && w.Validation.End <= w.Test.Start);
            if (!w.Validation.IsEmpty) Assert.True(w.Validation.Start - w.Train.End >= em);
            Assert.True(w.Test.Start - Math.Max(w.Train.End, w.Validation.End) >= em);
            Assert.Equal(te, w.Test.Length);
            Assert.True(w.Test.End <= n);
            Assert.True(w.Test.Start >= lastTestEnd, "test blocks overlap");
            lastTestEnd = w.Test.End;
            if (expanding) Assert.Equal(0, w.Train.Start);
        }
    }

    [Fact]
    public void Walk_forward_rolling_example()
    {
        var w = WalkForward.Windows(20, WindowMode.Rolling, trainSize: 8, testSize: 4, embargo: 1);
        Assert.Equal(2, w.Count); // a third test block would be [17, 21), past the 20 dates
        Assert.Equal(new DateSplit("train", 0, 8), w[0].Train);
        Assert.Equal(new DateSplit("test", 9, 13), w[0].Test);
        Assert.Equal(new DateSplit("train", 4, 12), w[1].Train);
        Assert.Equal(new DateSplit("test", 13, 17), w[1].Test);
        var expanding = WalkForward.Windows(20, WindowMode.Expanding, trainSize: 8, testSize: 4, embargo: 1, validationSize: 3);
        Assert.Equal(new DateSplit("train", 0, 8), expanding[1].Train); // blockEnd 12: validation [9, 12), 1 embargo day before it
        Assert.Equal(new DateSplit("validation", 9, 12), expanding[1].Validation);
    }
}
