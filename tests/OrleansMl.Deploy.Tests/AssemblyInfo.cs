// The deployment tests start whole platforms (processes, an Aspire app host) and time a clean leave: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
