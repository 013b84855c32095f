namespace Research.Core.Data.Splits;

/// <summary>How the training window moves from one walk-forward step to the next.</summary>
public enum WindowMode
{
    /// <summary>A fixed-length training window that slides forward.</summary>
    Rolling,
    /// <summary>A training window anchored at the first date that grows.</summary>
    Expanding,
}

/// <summary>One walk-forward step: train (optionally with a validation tail) then, after the embargo, test.</summary>
public sealed record WalkForwardWindow(int Index, DateSplit Train, DateSplit Validation, DateSplit Test);

/// <summary>Walk-forward window generator.</summary>
public static class WalkForward
{
    /// <summary>
    /// Windows over <paramref name="dateCount"/> calendar dates: training of <paramref name="trainSize"/> dates
    /// (the first window's size when expanding), the last <paramref name="validationSize"/> of which are held out for
    /// validation after an embargo, then <paramref name="embargo"/> dates left out, then <paramref name="testSize"/>
    /// test dates. Each next window starts <paramref name="step"/> dates later (default: testSize), so test blocks never
    /// overlap. Stops when a full test block no longer fits.
    /// </summary>
    public static IReadOnlyList<WalkForwardWindow> Windows(int dateCount, WindowMode mode, int trainSize, int testSize,
        int embargo = 0, int validationSize = 0, int? step = null)
    {
        int s = step ?? testSize;
        if (trainSize <= 0) throw new ArgumentOutOfRangeException(nameof(trainSize), trainSize, "trainSize must be positive.");
        if (testSize <= 0) throw new ArgumentOutOfRangeException(nameof(testSize), testSize, "testSize must be positive.");
        if (embargo < 0) throw new ArgumentOutOfRangeException(nameof(embargo), embargo, "embargo must be ≥ 0.");
        if (s < testSize) throw new ArgumentOutOfRangeException(nameof(step), s, "step must be ≥ testSize so test blocks never overlap.");
        if (validationSize < 0 || (validationSize > 0 && validationSize + embargo >= trainSize))
        {
            throw new ArgumentOutOfRangeException(nameof(validationSize), validationSize,
                "validationSize must be ≥ 0 and leave training dates before it (validationSize + embargo < trainSize).");
        }

        var windows = new List<WalkForwardWindow>();
        for (int k = 0; ; k++)
        {
            int trainStart = mode == WindowMode.Rolling ? k * s : 0;
            int blockEnd = k * s + trainSize; // end of train (+validation) block
            int testStart = blockEnd + embargo;
            int testEnd = testStart + testSize;
            if (testEnd > dateCount) break;
            DateSplit train, validation;
            if (validationSize > 0)
            {
                int vStart = blockEnd - validationSize;
                train = new DateSplit("train", trainStart, vStart - embargo);
                validation = new DateSplit("validation", vStart, blockEnd);
            }
            else
            {
                train = new DateSplit("train", trainStart, blockEnd);
                validation = new DateSplit("validation", blockEnd, blockEnd);
            }

            windows.Add(new WalkForwardWindow(k, train, validation, new DateSplit("test", testStart, testEnd)));
        }

        if (windows.Count == 0)
        {
            throw new ArgumentException(
                $"No walk-forward window fits in {dateCount} dates (train {trainSize} + embargo {embargo} + test {testSize}).");
        }

        return windows;
    }
}
