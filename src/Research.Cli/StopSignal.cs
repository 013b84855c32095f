using System.Runtime.InteropServices;

namespace Research.Cli;

/// <summary>
/// A token that Ctrl+C (and, when asked, SIGTERM) cancels instead of ending the process, so a long command can save its
/// state or drain; the handlers are removed on dispose.
/// </summary>
internal sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly ConsoleCancelEventHandler _onCancel;
    private readonly PosixSignalRegistration? _sigterm;

    /// <summary>Hooks Ctrl+C (calling <paramref name="onCtrlC"/> first, when given) and, with <paramref name="sigterm"/>, SIGTERM.</summary>
    public StopSignal(bool sigterm = false, Action? onCtrlC = null)
    {
        _onCancel = (_, e) =>
        {
            e.Cancel = true;
            onCtrlC?.Invoke();
            _cts.Cancel();
        };
        Console.CancelKeyPress += _onCancel;
        if (sigterm)
        {
            _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
            {
                c.Cancel = true;
                _cts.Cancel();
            });
        }
    }

    /// <summary>Cancelled by the signal.</summary>
    public CancellationToken Token => _cts.Token;

    /// <summary>Whether the signal came.</summary>
    public bool Stopped => _cts.IsCancellationRequested;

    /// <inheritdoc />
    public void Dispose()
    {
        Console.CancelKeyPress -= _onCancel;
        _sigterm?.Dispose();
        _cts.Dispose();
    }
}
