package org.heroesinwaiting.server.archfixture.server.loopa;

import org.heroesinwaiting.server.archfixture.server.loopb.Second;

/** A deliberate cycle between two feature packages: loopa uses loopb, which uses loopa. */
public class First {
    Second second;
}
