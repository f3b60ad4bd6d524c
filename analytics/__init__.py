"""Pure analytics on frames: comparisons, the headline judgements, measures by source. No I/O."""
