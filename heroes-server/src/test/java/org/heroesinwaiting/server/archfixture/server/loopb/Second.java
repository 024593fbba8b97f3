package org.heroesinwaiting.server.archfixture.server.loopb;

import org.heroesinwaiting.server.archfixture.server.loopa.First;

/** The other half of the deliberate cycle. */
public class Second {
    First first;
}
