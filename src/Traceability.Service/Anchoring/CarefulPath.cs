namespace Traceability.Service.Anchoring;

/// <summary>
/// Whether origin parcels take the careful path (a pre-check against the chain and a gas estimate) or go straight into a
/// batch with a computed gas limit (the contract refuses a known hash anyway). Careful at the start and after a refusal,
/// until a parcel batch made after that refusal is mined. Batches are sent from the background, so one made before a
/// refusal may be mined after it: it says nothing of the refused records (which the careful path must check again first)
/// and does not end the careful path. Thread-safe: batches are made on the worker, their outcomes told from the background.
/// </summary>
public sealed class CarefulPath
{
    private long _made;
    private long _refusedAfter;
    private volatile bool _on = true;

    /// <summary>Whether the next batch of origin parcels is made carefully.</summary>
    public bool IsOn => _on;

    /// <summary>A batch was made: returns its number, to give <see cref="Mined"/> when its outcome comes.</summary>
    public long Made() => Interlocked.Increment(ref _made);

    /// <summary>A batch was refused or reverted: careful from the next batch on.</summary>
    public void Refused()
    {
        Interlocked.Exchange(ref _refusedAfter, Interlocked.Read(ref _made));
        _on = true;
    }

    /// <summary>Batch number <paramref name="batch"/> was mined; a parcel batch made after the last refusal ends the careful path.</summary>
    public void Mined(long batch, bool parcels)
    {
        if (parcels && batch > Interlocked.Read(ref _refusedAfter)) _on = false;
    }
}
