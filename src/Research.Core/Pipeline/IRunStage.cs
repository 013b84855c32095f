namespace Research.Core.Pipeline;

/// <summary>One step of <c>research run</c>. Stages run in order and share a <see cref="RunContext"/>.</summary>
public interface IRunStage
{
    /// <summary>Short name shown in progress lines and used as the tracker's nested run name.</summary>
    string Name { get; }

    /// <summary>Does the stage's work, reading earlier stages' results from <paramref name="context"/>.</summary>
    void Run(RunContext context);
}
