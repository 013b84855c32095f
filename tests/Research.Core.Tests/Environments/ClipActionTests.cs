using Research.Core.Environments;

namespace Research.Core.Tests.Environments;

/// <summary><see cref="EnvExtensions.ClipAction"/>: the vectorised clip equals the scalar rule, and non-finite values are named wherever they sit.</summary>
public class ClipActionTests
{
    private static BoxSpace Box(int n)
    {
        var low = new float[n];
        var high = new float[n];
        for (int i = 0; i < n; i++)
        {
            (low[i], high[i]) = (i % 5) switch
            {
                0 => (-1f, 1f),
                1 => (float.NegativeInfinity, 2f),
                2 => (-3f, float.PositiveInfinity),
                3 => (0f, 0f),
                _ => (-0.5f, 0.25f),
            };
        }

        return new BoxSpace(low, high, n);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(21)]
    [InlineData(30)]
    public void Every_component_is_clipped_as_the_scalar_rule_clips_it(int n)
    {
        var box = Box(n);
        var rng = new Random(n);
        var action = new float[n];
        var clipped = new float[n];
        for (int trial = 0; trial < 200; trial++)
        {
            for (int i = 0; i < n; i++) action[i] = trial % 7 == 0 ? (i % 2 == 0 ? -0f : 0f) : (float)((rng.NextDouble() - 0.5) * 8);
            box.ClipAction(action, clipped);
            for (int i = 0; i < n; i++)
            {
                float a = action[i], expected = a < box.Low[i] ? box.Low[i] : a > box.High[i] ? box.High[i] : a;
                Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(clipped[i]));
            }
        }
    }

    [Theory]
    [InlineData(2, float.NaN)]
    [InlineData(9, float.PositiveInfinity)]
    [InlineData(20, float.NegativeInfinity)]
    public void A_non_finite_component_is_named(int index, float value)
    {
        var box = Box(21);
        var action = new float[21];
        action[index] = value;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => box.ClipAction(action, new float[21]));
        Assert.Contains($"action[{index}]", e.Message);
    }
}
