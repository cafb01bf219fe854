package io.arqonbus.server.casil;

import java.util.List;

/** A CASIL policy that cannot be used: every problem found, one sentence each. */
public final class CasilPolicyException extends Exception {
    private final List<String> problems;

    public CasilPolicyException(List<String> problems) {
        super(String.join("; ", problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    /** Each problem, one sentence each. */
    public List<String> problems() {
        return problems;
    }
}
