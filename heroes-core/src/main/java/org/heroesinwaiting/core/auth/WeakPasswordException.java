package org.heroesinwaiting.core.auth;

import java.util.List;
import org.heroesinwaiting.core.HeroesException;

/** A password fails the policy; {@link #reasons()} says each way it does, for the person choosing it. */
public class WeakPasswordException extends HeroesException {

    private static final long serialVersionUID = 1L;

    private final transient List<String> reasons;

    /**
     * @param reasons what is wrong with it
     */
    public WeakPasswordException(List<String> reasons) {
        super("the password is too weak: " + String.join("; ", reasons));
        this.reasons = List.copyOf(reasons);
    }

    /** @return what is wrong with the password */
    public List<String> reasons() {
        return reasons;
    }
}
