package org.heroesinwaiting.server.archfixture.persistence;

import java.util.List;
import org.jdbi.v3.core.Handle;

/** A deliberate violation: a storage statement outside a DAO. */
public class UsesFluentStorage {
    public List<String> names(Handle handle) {
        return handle.createQuery("SELECT name FROM classrooms").mapTo(String.class).list();
    }
}
