package org.rankfold.kernels.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The classes a compiled class refers to, read from its constant pool with the JDK's class-file API: every
 * class entry (instantiations, calls, casts, field owners, catch types) and every class named in a
 * descriptor or generic signature (fields, methods, annotations, lambdas). The module boundary tests use it
 * on {@code target/classes}, so a boundary is kept by what the compiler produced, whatever the imports say.
 * Names are internal ("org/rankfold/engine/nn/Module").
 */
public final class ClassReferences {
    /** A class named inside a descriptor or signature: "L" internal-name ";" or up to a generic "<". */
    private static final Pattern IN_DESCRIPTOR = Pattern.compile("L([\\w/$]+)[;<]");

    private ClassReferences() {
    }

    /** The classes {@code classFile} (the bytes of a .class file) refers to, itself excluded. */
    public static Set<String> of(byte[] classFile) {
        ClassModel model = ClassFile.of().parse(classFile);
        String self = model.thisClass().asInternalName();
        Set<String> out = new TreeSet<>();
        for (PoolEntry e : model.constantPool()) {
            if (e instanceof ClassEntry c) {
                String name = c.asInternalName();
                // an array class entry is "[Lname;" or "[I"
                if (name.startsWith("[")) {
                    addFromDescriptor(name, out);
                } else {
                    out.add(name);
                }
            } else if (e instanceof Utf8Entry u) {
                addFromDescriptor(u.stringValue(), out);
            }
        }
        out.remove(self);
        return out;
    }

    private static void addFromDescriptor(String text, Set<String> out) {
        Matcher m = IN_DESCRIPTOR.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
    }

    /**
     * One line "a.b.C refers to x.y.Z" for every reference from a class under {@code classesRoot} whose
     * internal name {@code scanned} accepts to a class {@code forbidden} accepts.
     */
    public static List<String> violations(Path classesRoot, Predicate<String> scanned, Predicate<String> forbidden) {
        List<String> out = new ArrayList<>();
        for (Path file : classFiles(classesRoot)) {
            String name = internalName(classesRoot, file);
            if (!scanned.test(name)) {
                continue;
            }
            try {
                for (String ref : of(Files.readAllBytes(file))) {
                    if (forbidden.test(ref)) {
                        out.add(name.replace('/', '.') + " refers to " + ref.replace('/', '.'));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /**
     * Fails with every violation when a class under {@code classesRoot} accepted by {@code scanned} refers
     * to one {@code forbidden} accepts; {@code rule} says which boundary, for the message. Also fails when
     * no class was scanned, so a wrong path or filter cannot pass by finding nothing.
     */
    public static void assertNoReferences(String rule, Path classesRoot, Predicate<String> scanned,
                                          Predicate<String> forbidden) {
        long count = classFiles(classesRoot).stream().map(f -> internalName(classesRoot, f)).filter(scanned).count();
        assertTrue(count > 0, rule + ": no compiled class found to check under " + classesRoot);
        List<String> v = violations(classesRoot, scanned, forbidden);
        if (!v.isEmpty()) {
            fail(rule + ", but:\n  " + String.join("\n  ", v));
        }
    }

    /** Accepts internal names in any of {@code packages} ("org/rankfold/engine") or their subpackages. */
    public static Predicate<String> inPackages(String... packages) {
        return name -> Stream.of(packages).anyMatch(p -> name.startsWith(p + "/"));
    }

    private static List<Path> classFiles(Path root) {
        if (!Files.isDirectory(root)) {
            fail("compiled classes not found at " + root.toAbsolutePath() + " (run the tests through Maven)");
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String internalName(Path root, Path file) {
        String rel = root.relativize(file).toString().replace('\\', '/');
        return rel.substring(0, rel.length() - ".class".length());
    }
}
