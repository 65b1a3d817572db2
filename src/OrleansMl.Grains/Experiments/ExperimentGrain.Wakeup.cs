namespace OrleansMl.Experiments;

/// <summary>
/// The watchdog is a timer of this activation, so it stops when the experiment's silo does (a rolling restart, a
/// scale-in, a crash). A reminder, kept while the experiment is unfinished, activates it again wherever Orleans
/// places it (Azure Table reminders survive every silo), and the activation starts the watchdog again, which
/// wakes the runs whose silo went with it.
/// </summary>
public sealed partial class ExperimentGrain
{
    private const string WakeUpReminder = "wake-up";

    /// <summary>Orleans' shortest reminder period (a minute unless configured otherwise), and never below 5 s.</summary>
    private TimeSpan WakeUpPeriod => reminders.Value.MinimumReminderPeriod > TimeSpan.FromSeconds(5) ? reminders.Value.MinimumReminderPeriod : TimeSpan.FromSeconds(5);

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        // Being activated started the watchdog; a reminder left over from a finished or deleted experiment goes.
        state.State.Info is { State: Running or Preparing } ? Task.CompletedTask : LetSleepAsync();

    private async Task KeepAwakeAsync() => await this.RegisterOrUpdateReminder(WakeUpReminder, WakeUpPeriod, WakeUpPeriod);

    private async Task LetSleepAsync()
    {
        if (await this.GetReminder(WakeUpReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }
}
