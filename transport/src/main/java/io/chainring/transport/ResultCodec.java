package io.chainring.transport;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.TBase;
import org.apache.thrift.TException;
import org.apache.thrift.TFieldIdEnum;
import org.apache.thrift.meta_data.FieldMetaData;
import org.apache.thrift.meta_data.StructMetaData;
import org.apache.thrift.protocol.TProtocol;

/**
 * Builds a method's generated {@code <method>_result} struct from an asynchronous handler's
 * outcome: the value in field 0, or a declared exception in its own field. libthrift's generated
 * async result handlers do the same but are bound to its non-blocking server's frame buffers.
 */
final class ResultCodec {
    private final Constructor<? extends TBase<?, ?>> constructor;
    private final TFieldIdEnum success;
    private final List<Declared> declared;

    private record Declared(Class<?> type, TFieldIdEnum field) {
    }

    private ResultCodec(Constructor<? extends TBase<?, ?>> constructor, TFieldIdEnum success, List<Declared> declared) {
        this.constructor = constructor;
        this.success = success;
        this.declared = declared;
    }

    /** The codec for the method whose generated arguments struct is {@code argsType} ({@code Service$put_args}). */
    @SuppressWarnings("unchecked")
    static ResultCodec forArgs(Class<?> argsType) {
        String name = argsType.getName();
        if (!name.endsWith("_args")) {
            throw new IllegalArgumentException("not a generated arguments struct: " + name);
        }
        String resultName = name.substring(0, name.length() - "_args".length()) + "_result";
        try {
            Class<? extends TBase<?, ?>> type = (Class<? extends TBase<?, ?>>) Class.forName(resultName, true, argsType.getClassLoader());
            Map<? extends TFieldIdEnum, FieldMetaData> fields = FieldMetaData.getStructMetaDataMap((Class) type);
            TFieldIdEnum success = null;
            List<Declared> declared = new ArrayList<>();
            for (Map.Entry<? extends TFieldIdEnum, FieldMetaData> e : fields.entrySet()) {
                if (e.getKey().getThriftFieldId() == 0) {
                    success = e.getKey();
                } else if (e.getValue().valueMetaData instanceof StructMetaData s) {
                    declared.add(new Declared(s.structClass, e.getKey()));
                }
            }
            return new ResultCodec(type.getConstructor(), success, List.copyOf(declared));
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("no generated result struct " + resultName, e);
        }
    }

    /** The result carrying {@code value} (ignored for a void method). */
    TBase<?, ?> success(Object value) {
        TBase<?, ?> result = newResult();
        if (success != null && value != null) {
            set(result, success, value);
        }
        return result;
    }

    /** The result carrying {@code failure} if the method declares its type; else null. */
    TBase<?, ?> declared(Throwable failure) {
        for (Declared d : declared) {
            if (d.type().isInstance(failure)) {
                TBase<?, ?> result = newResult();
                set(result, d.field(), failure);
                return result;
            }
        }
        return null;
    }

    /**
     * A client's side: reads the result struct of an answer and returns its value (null for a void
     * method), or throws the declared exception it carries.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    Object read(TProtocol in, String method) throws TException {
        TBase result = newResult();
        result.read(in);
        for (Declared d : declared) {
            if (result.isSet(d.field())) {
                throw (TException) result.getFieldValue(d.field());
            }
        }
        if (success == null) {
            return null;
        }
        if (!result.isSet(success)) {
            throw new TApplicationException(TApplicationException.MISSING_RESULT, method + " failed: unknown result");
        }
        return result.getFieldValue(success);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void set(TBase result, TFieldIdEnum field, Object value) {
        result.setFieldValue(field, value);
    }

    private TBase<?, ?> newResult() {
        try {
            return constructor.newInstance();
        } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot create " + constructor.getDeclaringClass().getName(), e);
        }
    }
}
