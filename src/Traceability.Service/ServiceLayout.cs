namespace Traceability.Service;

/// <summary>
/// The layout of a service folder, the one place that names its parts: the store
/// (<c>store.db</c>), the drop folder (<c>inbox/</c>), the rejected area (<c>rejected/</c>), the
/// files taken out of the drop folder (<c>taken/</c>) and the lock file (<c>service.lock</c>).
/// Used by the service, kp serve/submit/status, the demo, the bench and the tests.
/// </summary>
/// <param name="Directory">The service folder.</param>
public sealed record ServiceLayout(string Directory)
{
    /// <summary>The store's file name.</summary>
    public const string StoreFileName = "store.db";

    /// <summary>The drop folder's name.</summary>
    public const string InboxName = "inbox";

    /// <summary>The rejected area's name.</summary>
    public const string RejectedName = "rejected";

    /// <summary>The name of the folder drop files are taken into.</summary>
    public const string TakenName = "taken";

    /// <summary>The lock file's name.</summary>
    public const string LockFileName = "service.lock";

    /// <summary>The store (SQLite).</summary>
    public string StorePath => Path.Combine(Directory, StoreFileName);

    /// <summary>The drop folder.</summary>
    public string Inbox => Path.Combine(Directory, InboxName);

    /// <summary>The rejected area: each rejected record's original and its reason.</summary>
    public string Rejected => Path.Combine(Directory, RejectedName);

    /// <summary>Where drop files are renamed to before they are read (the service's own).</summary>
    public string Taken => Path.Combine(Directory, TakenName);

    /// <summary>The lock file (flock) that makes one service per folder.</summary>
    public string LockFile => Path.Combine(Directory, LockFileName);
}
