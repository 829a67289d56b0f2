package com.vitasense.quality;

/** PLACEHOLDER until the real detector is merged. */
public class DetectorState {
    public long count;
    public DetectorState() {}
}
