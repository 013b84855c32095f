namespace Research.Serving;

/// <summary>
/// A request the server refuses, answered as RFC 7807 problem details: the status (400 malformed, 401 no key, 413 too
/// large, 422 invalid), a title, a detail and the offending field as a JSON path such as <c>bars.AAPL[3].high</c>.
/// </summary>
public sealed class RequestProblem : Exception
{
    /// <summary>Creates a problem.</summary>
    public RequestProblem(int status, string title, string detail, string field)
        : base(detail)
    {
        Status = status;
        Title = title;
        Field = field;
    }

    /// <summary>HTTP status code.</summary>
    public int Status { get; }

    /// <summary>Short summary of the kind of problem.</summary>
    public string Title { get; }

    /// <summary>The offending field (JSON path; <c>$</c> for the whole body).</summary>
    public string Field { get; }

    /// <summary>A 422 for an invalid value at <paramref name="field"/>.</summary>
    public static RequestProblem Invalid(string field, string detail) => new(422, "Invalid request", detail, field);
}
