namespace Research.Core.Tracking;

/// <summary>An error from a tracking store, with MLflow's error code (e.g. RESOURCE_ALREADY_EXISTS).</summary>
public class TrackingException : Exception
{
    /// <summary>MLflow error code for a bad argument.</summary>
    public const string InvalidParameterValue = "INVALID_PARAMETER_VALUE";

    /// <summary>MLflow error code for a duplicate.</summary>
    public const string ResourceAlreadyExists = "RESOURCE_ALREADY_EXISTS";

    /// <summary>MLflow error code for a missing entity.</summary>
    public const string ResourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST";

    /// <summary>MLflow error code for an entity in the wrong state.</summary>
    public const string InvalidState = "INVALID_STATE";

    /// <summary>MLflow error code for a server fault.</summary>
    public const string InternalError = "INTERNAL_ERROR";

    /// <summary>Creates the exception.</summary>
    public TrackingException(string errorCode, string message, Exception? inner = null) : base(message, inner) => ErrorCode = errorCode;

    /// <summary>MLflow's error code.</summary>
    public string ErrorCode { get; }
}

/// <summary>The tracking server could not be reached (after retries).</summary>
public sealed class TrackingUnavailableException : TrackingException
{
    /// <summary>Creates the exception.</summary>
    public TrackingUnavailableException(string message, Exception? inner = null) : base("TEMPORARILY_UNAVAILABLE", message, inner)
    {
    }
}
