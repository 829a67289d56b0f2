package com.vitasense.vendors;

import static com.vitasense.records.DeadLetterReason.NOT_YET_SUPPORTED;

import java.util.List;

/**
 * Placeholder for a known vendor whose parser is not written yet: every kind (other than the shared
 * device-event kinds) goes to the dead-letter topic as {@code NOT_YET_SUPPORTED}, so those records
 * are kept and can be replayed once the real parser replaces this one in the {@link VendorRegistry}.
 */
public final class NotYetSupportedParser implements VendorParser {
    private static final long serialVersionUID = 1L;

    private final String vendor;
    /** The kinds DESIGN.md documents for the vendor; only used to make the message precise. */
    private final List<String> documentedKinds;

    public NotYetSupportedParser(String vendor, List<String> documentedKinds) {
        this.vendor = vendor;
        this.documentedKinds = List.copyOf(documentedKinds);
    }

    @Override
    public String vendor() {
        return vendor;
    }

    @Override
    public ParseResult parse(Envelope envelope) throws RecordRejectedException {
        String what = documentedKinds.contains(envelope.kind())
                ? vendor + "/" + envelope.kind() + " is not supported yet"
                : "kind " + JsonFields.quote(envelope.kind()) + " of vendor " + vendor
                        + " is not supported yet (documented kinds: " + String.join(", ", documentedKinds) + ")";
        throw new RecordRejectedException(NOT_YET_SUPPORTED, what);
    }
}
