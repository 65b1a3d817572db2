// One platform and one browser at a time: test classes that each start platforms in this process would
// otherwise share the machine's 2 cores with a browser waiting on a page (a 30 s action timeout).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
