using Traceability.Service.Anchoring;

namespace Traceability.Service.Tests.Anchoring;

/// <summary>
/// The careful path of origin parcels with batches sent from the background: careful at the start and after a refusal, until
/// a parcel batch made after that refusal is mined; a batch made before the refusal and mined after it does not end it.
/// </summary>
[Trait("Category", "Fast")]
public sealed class CarefulPathTests
{
    [Fact]
    public void Careful_at_the_start_until_a_parcel_batch_is_mined()
    {
        var path = new CarefulPath();
        Assert.True(path.IsOn);
        var transformation = path.Made();
        path.Mined(transformation, parcels: false);
        Assert.True(path.IsOn); // another kind's batch says nothing of parcels
        path.Mined(path.Made(), parcels: true);
        Assert.False(path.IsOn);
    }

    [Fact]
    public void A_batch_made_before_a_refusal_and_mined_after_it_leaves_the_path_careful()
    {
        var path = new CarefulPath();
        path.Mined(path.Made(), parcels: true);
        var earlier = path.Made(); // sent from the background, still at the node
        var refused = path.Made();
        path.Refused(); // refused (or reverted) first
        Assert.True(path.IsOn);

        path.Mined(earlier, parcels: true); // then the earlier batch is mined: the refused records are still to be checked
        Assert.True(path.IsOn);

        var careful = path.Made(); // the next batch, made carefully, mined: the fast path again
        path.Mined(careful, parcels: true);
        Assert.False(path.IsOn);
        Assert.True(refused < careful);
    }

    [Fact]
    public void Outcomes_told_from_many_threads_at_once_leave_it_careful_while_any_refusal_is_newer_than_every_mined_batch()
    {
        var path = new CarefulPath();
        var batches = Enumerable.Range(0, 1_000).Select(_ => path.Made()).ToList();
        path.Refused();
        Parallel.ForEach(batches, b => path.Mined(b, parcels: true));
        Assert.True(path.IsOn);
        path.Mined(path.Made(), parcels: true);
        Assert.False(path.IsOn);
    }
}
