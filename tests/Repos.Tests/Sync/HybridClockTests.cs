using Repos.Sync;
using Repos.Tests.Backup;

namespace Repos.Tests.Sync;

public sealed class HybridClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Stamps_FollowTheWallClock_AndCountWithinAMillisecond()
    {
        var time = new FakeTimeProvider(Start);
        var clock = new HybridClock(time, 0);

        long first = clock.Next();
        long second = clock.Next();
        time.Advance(TimeSpan.FromMilliseconds(5));
        long third = clock.Next();

        Assert.Equal(SyncStamp.Pack(Start.ToUnixTimeMilliseconds(), 0), first);
        Assert.Equal(SyncStamp.Pack(Start.ToUnixTimeMilliseconds(), 1), second);
        Assert.Equal(SyncStamp.Pack(Start.ToUnixTimeMilliseconds() + 5, 0), third);
    }

    [Fact]
    public void WallClockJumpingBackwards_NeverMakesAStampGoBack()
    {
        var time = new FakeTimeProvider(Start);
        var clock = new HybridClock(time, 0);
        long before = clock.Next();

        time.SetUtcNow(Start - TimeSpan.FromHours(3));
        long[] after = [clock.Next(), clock.Next(), clock.Next()];

        Assert.True(after[0] > before && after[1] > after[0] && after[2] > after[1]);
        Assert.Equal(Start.ToUnixTimeMilliseconds(), after[2] >> SyncStamp.CounterBits);
        Assert.Equal(3, (int)(after[2] & SyncStamp.MaxCounter));

        // Once the wall clock passes the last stamp again, stamps follow it.
        time.SetUtcNow(Start + TimeSpan.FromSeconds(1));
        Assert.Equal(SyncStamp.Pack((Start + TimeSpan.FromSeconds(1)).ToUnixTimeMilliseconds(), 0), clock.Next());
    }

    [Fact]
    public void CounterOverflow_CarriesIntoTheMilliseconds()
    {
        var time = new FakeTimeProvider(Start);
        long full = SyncStamp.Pack(Start.ToUnixTimeMilliseconds(), SyncStamp.MaxCounter);
        var clock = new HybridClock(time, full);

        long next = clock.Next();

        Assert.Equal(SyncStamp.Pack(Start.ToUnixTimeMilliseconds() + 1, 0), next);
        Assert.True(next > full);
    }

    [Fact]
    public void ObservedRemoteStamp_MovesTheClockPastIt_ButAFarFutureOneIsTooFarAhead()
    {
        var time = new FakeTimeProvider(Start);
        var clock = new HybridClock(time, 0);
        long remote = SyncStamp.Pack((Start + TimeSpan.FromMinutes(2)).ToUnixTimeMilliseconds(), 7);
        long farFuture = SyncStamp.Pack((Start + TimeSpan.FromMinutes(6)).ToUnixTimeMilliseconds(), 0);

        Assert.False(clock.IsTooFarAhead(remote, TimeSpan.FromMinutes(5)));
        Assert.True(clock.IsTooFarAhead(farFuture, TimeSpan.FromMinutes(5)));
        clock.Observe(remote);
        long next = clock.Next();

        Assert.Equal(remote + 1, next);
        clock.Observe(remote - 100);
        Assert.Equal(remote + 2, clock.Next());
    }

    [Fact]
    public void Clock_RestartsFromTheLastStampItWasGiven_WhateverTheWallClockSays()
    {
        var time = new FakeTimeProvider(Start - TimeSpan.FromDays(1));
        long saved = SyncStamp.Pack(Start.ToUnixTimeMilliseconds(), 3);

        Assert.Equal(saved + 1, new HybridClock(time, saved).Next());
    }

    [Fact]
    public void Stamps_CompareByValueThenByReplicaBytes()
    {
        var low = Guid.Parse("00000000-0000-0000-0000-0000000000ff");
        var high = Guid.Parse("01000000-0000-0000-0000-000000000000");

        Assert.True(new SyncStamp(5, high) > new SyncStamp(5, low));
        Assert.True(new SyncStamp(6, low) > new SyncStamp(5, high));
        Assert.Equal(new SyncStamp(5, low), new SyncStamp(5, low));
        Assert.True(SyncStamp.CompareReplicas(Guid.Parse("80000000-0000-0000-0000-000000000000"), Guid.Parse("7fffffff-ffff-ffff-ffff-ffffffffffff")) > 0);
        Assert.Equal(0, new SyncStamp(9, high).CompareTo(new SyncStamp(9, high)));
        Assert.Equal(Start, new SyncStamp(SyncStamp.Pack(Start.ToUnixTimeMilliseconds(), 2), low).Time);
        Assert.Equal(2, new SyncStamp(SyncStamp.Pack(Start.ToUnixTimeMilliseconds(), 2), low).Counter);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SyncStamp(-1, low));
    }
}
